import type { Knex } from 'knex';
import type { Role } from './users.types';
import { sqlNow } from '../lib/time';
import { orderBySort, type SortColumns, type SortDir } from '../lib/sorting';
import { likeEscape } from '../db/like';

export interface UserRow {
  id: number;
  username: string;
  password_hash: string;
  role: Role;
  student_id: number | null;
  active: boolean | number;
  must_change_password: boolean | number;
  last_login_at: string | null;
  version: number;
  /** Raised by a password change, a reset or a deactivation: sessions signed in under an older one end. */
  session_version: number;
}

export interface NewUser {
  username: string;
  password_hash: string;
  role: Role;
  student_id?: number | null;
  must_change_password?: boolean;
}

/** A row of the admin's account list: the user and what it is linked to (never the hash). */
export interface UserListRow {
  id: number;
  username: string;
  role: Role;
  active: boolean | number;
  must_change_password: boolean | number;
  last_login_at: string | null;
  student_id: number | null;
  student_no: string | null;
  student_name: string | null;
  staff_id: number | null;
  staff_no: string | null;
  staff_name: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

const LIST_COLUMNS = [
  'u.id',
  'u.username',
  'u.role',
  'u.active',
  'u.must_change_password',
  'u.last_login_at',
  'u.student_id',
  's.student_no',
  's.name as student_name',
  'st.id as staff_id',
  'st.staff_no',
  'st.name as staff_name',
  'u.version',
  'u.created_at',
  'u.updated_at',
];

export interface UserListQuery {
  q: string;
  role?: Role;
  active?: boolean;
  /** One of USER_SORTS (src/admin/users.schemas.ts); absent: by username. */
  sort?: UserSort;
  dir?: SortDir;
  page: number;
  size: number;
}

type UserSort = 'username' | 'role' | 'active' | 'last_login_at';

/** The SQL behind each sortable column name (the query only ever picks a name). */
const SORT_SQL: SortColumns<UserSort> = {
  username: 'u.username',
  role: 'u.role',
  active: 'u.active',
  last_login_at: 'u.last_login_at',
};

export class UsersRepository {
  constructor(private readonly db: Knex) {}

  private listed(query: UserListQuery, trx: Knex) {
    const builder = trx('users as u')
      .leftJoin('students as s', 's.id', 'u.student_id')
      .leftJoin('staff as st', 'st.user_id', 'u.id');
    if (query.role) builder.where('u.role', query.role);
    if (query.active !== undefined) builder.where('u.active', query.active);
    if (query.q) {
      const q = likeEscape(query.q);
      builder.where((w) => {
        // Usernames are lower-case and compare exactly (binary collation on MySQL).
        w.whereRaw("u.username like ? escape '!'", [`%${q.toLowerCase()}%`])
          .orWhereRaw("s.student_no like ? escape '!'", [`${q}%`])
          .orWhereRaw("s.name like ? escape '!'", [`%${q}%`])
          .orWhereRaw("st.staff_no like ? escape '!'", [`${q}%`])
          .orWhereRaw("st.name like ? escape '!'", [`%${q}%`]);
      });
    }
    return builder;
  }

  async list(query: UserListQuery, trx: Knex = this.db): Promise<{ rows: UserListRow[]; total: number }> {
    const countRow = await this.listed(query, trx).count<{ n: number | string }[]>({ n: '*' }).first();
    const rows = await this.listed(query, trx)
      .select(LIST_COLUMNS)
      .modify((q) => orderBySort(q, { sort: query.sort ?? 'username', dir: query.dir ?? 'asc' }, SORT_SQL, 'u.id'))
      .limit(query.size)
      .offset((query.page - 1) * query.size);
    return { rows, total: Number(countRow?.n ?? 0) };
  }

  async findListRow(id: number, trx: Knex = this.db): Promise<UserListRow | undefined> {
    const rows: UserListRow[] = await this.listed({ q: '', page: 1, size: 1 }, trx)
      .where('u.id', id)
      .select(LIST_COLUMNS);
    return rows[0];
  }

  findByIdForUpdate(id: number, trx: Knex): Promise<UserRow | undefined> {
    return trx<UserRow>('users').where({ id }).first().forUpdate();
  }

  findByStudentId(studentId: number, trx: Knex = this.db): Promise<UserRow | undefined> {
    return trx<UserRow>('users').where({ student_id: studentId }).first();
  }

  /**
   * Activates or deactivates; 0 when the account was already in that state. A deactivation ends every
   * session of the account, idle ones included, so that a later reactivation does not revive them.
   */
  setActive(id: number, active: boolean, trx: Knex = this.db): Promise<number> {
    return trx('users')
      .where({ id })
      .whereNot('active', active)
      .update({
        active,
        updated_at: sqlNow(),
        version: trx.raw('version + 1'),
        ...(active ? {} : { session_version: trx.raw('session_version + 1') }),
      });
  }

  /** A password set by an administrator: its holder must choose their own at the next sign-in. */
  async resetPassword(id: number, passwordHash: string, trx: Knex = this.db): Promise<void> {
    await trx('users')
      .where({ id })
      .update({
        password_hash: passwordHash,
        must_change_password: true,
        updated_at: sqlNow(),
        version: trx.raw('version + 1'),
        // Every session of the account ends, whoever holds it.
        session_version: trx.raw('session_version + 1'),
      });
  }

  findById(id: number, trx: Knex = this.db): Promise<UserRow | undefined> {
    return trx<UserRow>('users').where({ id }).first();
  }

  findByUsername(username: string, trx: Knex = this.db): Promise<UserRow | undefined> {
    return trx<UserRow>('users').where({ username }).first();
  }

  async insert(user: NewUser, trx: Knex = this.db): Promise<number> {
    const now = sqlNow();
    const [id] = await trx('users').insert({
      ...user,
      student_id: user.student_id ?? null,
      must_change_password: user.must_change_password ?? false,
      created_at: now,
      updated_at: now,
    });
    return Number(id);
  }

  async recordLogin(id: number, trx: Knex = this.db): Promise<void> {
    await trx('users').where({ id }).update({ last_login_at: sqlNow() });
  }

  /** The holder's own new password: answers the new session version, which only the caller's session keeps. */
  async updatePassword(id: number, passwordHash: string, trx: Knex = this.db): Promise<number> {
    await trx('users')
      .where({ id })
      .update({
        password_hash: passwordHash,
        must_change_password: false,
        updated_at: sqlNow(),
        version: trx.raw('version + 1'),
        session_version: trx.raw('session_version + 1'),
      });
    const row = await trx<UserRow>('users').where({ id }).first('session_version');
    return Number(row!.session_version);
  }

  /**
   * Accounts a staff profile can link to: active staff-role accounts. Accounts already linked to a profile
   * (an administrator's, linked from the account page) are listed too, so their profiles show and keep them.
   */
  staffAccountChoices(trx: Knex = this.db): Promise<{ id: number; username: string }[]> {
    return trx('users')
      .where((w) =>
        w
          .where({ role: 'staff', active: true })
          .orWhereIn('id', trx('staff').whereNotNull('user_id').select('user_id')),
      )
      .orderBy('username')
      .limit(2000)
      .select<{ id: number; username: string }[]>('id', 'username');
  }
}
