import type { Knex } from 'knex';
import type { Role } from './users.types';
import { sqlNow } from '../lib/time';
import { orderBySort, type SortColumns, type SortDir } from '../lib/sorting';
import { likeEscape, whereStartsWith } from '../db/like';
import { GRAMS_TABLE, nameKey, searchGram } from '../db/name-grams';

/** How many accounts past the page the list counts before it says "more than". */
export const COUNT_CAP = 1000;

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

/** Usernames are unique: ordered by them alone, so the unique index gives the order. */
const tiebreakFor = (query: Pick<UserListQuery, 'sort'>) =>
  (query.sort ?? 'username') === 'username' ? 'u.username' : 'u.id';

export class UsersRepository {
  constructor(private readonly db: Knex) {}

  private listed(query: Pick<UserListQuery, 'role' | 'active'>, trx: Knex) {
    const builder = trx('users as u')
      .leftJoin('students as s', 's.id', 'u.student_id')
      .leftJoin('staff as st', 'st.user_id', 'u.id');
    return this.filtered(builder, query);
  }

  private filtered(builder: Knex.QueryBuilder, query: Pick<UserListQuery, 'role' | 'active'>) {
    if (query.role) builder.where('u.role', query.role);
    if (query.active !== undefined) builder.where('u.active', query.active);
    return builder;
  }

  /**
   * The accounts a search finds, each way through an index: the username's beginning (usernames are
   * lower-case), a linked student's name (the name grams, db/name-grams.ts) or number's
   * beginning, a linked staff profile's number or name (staff is a small table). Each way yields at
   * most `limit` ids in the list's order; their union is the candidates.
   */
  private searchIds(query: UserListQuery, limit: number, trx: Knex): Knex.QueryBuilder {
    const q = query.q;
    const order = (b: Knex.QueryBuilder) =>
      orderBySort(b, { sort: query.sort ?? 'username', dir: query.dir ?? 'asc' }, SORT_SQL, tiebreakFor(query)).limit(
        limit,
      );
    const ways: Knex.QueryBuilder[] = [];
    ways.push(
      order(
        this.filtered(trx('users as u'), query).modify((b) => whereStartsWith(trx, b, 'u.username', q.toLowerCase())),
      ),
    );
    const key = nameKey(q);
    const { gram, exact } = searchGram(key);
    ways.push(
      order(
        this.filtered(
          trx(`${GRAMS_TABLE} as g`)
            .join('users as u', 'u.student_id', 'g.student_id')
            .where('g.gram', gram)
            .modify((b) => {
              if (!exact)
                b.join('students as s', 's.id', 'g.student_id').whereRaw("s.name_key like ? escape '!'", [
                  `%${likeEscape(key)}%`,
                ]);
            }),
          query,
        ),
      ),
    );
    if (/^[A-Za-z0-9-]+$/.test(q))
      ways.push(
        order(
          this.filtered(
            trx('students as s')
              .join('users as u', 'u.student_id', 's.id')
              .modify((b) => whereStartsWith(trx, b, 's.student_no', q.toUpperCase())),
            query,
          ),
        ),
      );
    const escaped = likeEscape(q);
    ways.push(
      order(
        this.filtered(
          trx('staff as st')
            .join('users as u', 'u.id', 'st.user_id')
            .where((w) => {
              w.whereRaw("st.staff_no like ? escape '!'", [`${escaped}%`]).orWhereRaw("st.name like ? escape '!'", [
                `%${escaped}%`,
              ]);
            }),
          query,
        ),
      ),
    );
    const parts = ways.map((w, i) => trx.select(`w${i}.id`).from(w.select('u.id as id').as(`w${i}`)));
    return parts[0]!.union(parts.slice(1));
  }

  /**
   * One page and a count that stops COUNT_CAP past it (`exact: false` then): a search reads the
   * accounts through the indexes of searchIds, a plain list the users table in its sort order.
   */
  async list(
    query: UserListQuery,
    trx: Knex = this.db,
  ): Promise<{ rows: UserListRow[]; total: number; exact: boolean }> {
    const offset = (query.page - 1) * query.size;
    const cap = query.page * query.size + COUNT_CAP;
    const order = { sort: query.sort ?? 'username', dir: query.dir ?? 'asc' } as const;
    // The page's ids first, from the users table (or the search's indexes) alone in list order; the
    // joins for the linked names then run for those rows only.
    const ids = query.q
      ? this.searchIds(query, offset + query.size, trx)
      : this.filtered(trx('users as u'), query)
          .select('u.id as id')
          .modify((q) => orderBySort(q, order, SORT_SQL, tiebreakFor(query)))
          .limit(offset + query.size);
    const rows: UserListRow[] = await this.listed(query, trx)
      .join(ids.as('f'), 'f.id', 'u.id')
      .select(LIST_COLUMNS)
      .modify((q) => orderBySort(q, order, SORT_SQL, tiebreakFor(query)))
      .limit(query.size)
      .offset(offset);
    const matches = query.q
      ? this.searchIds(query, cap + 1, trx)
      : this.filtered(trx('users as u'), query)
          .select(trx.raw('1'))
          .limit(cap + 1);
    const countRow = await trx.from(matches.as('m')).count<{ n: number | string }[]>({ n: '*' }).first();
    const counted = Number(countRow?.n ?? 0);
    return { rows, total: Math.min(counted, cap), exact: counted <= cap };
  }

  async findListRow(id: number, trx: Knex = this.db): Promise<UserListRow | undefined> {
    const rows: UserListRow[] = await this.listed({}, trx).where('u.id', id).select(LIST_COLUMNS);
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

  /** The usernames of these accounts (the audit log names them), in one query. */
  async namesOf(ids: readonly number[], trx: Knex = this.db): Promise<Map<number, { code: null; name: string }>> {
    if (ids.length === 0) return new Map();
    const rows: { id: number; username: string }[] = await trx('users').whereIn('id', ids).select('id', 'username');
    return new Map(rows.map((r) => [Number(r.id), { code: null, name: r.username }]));
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
