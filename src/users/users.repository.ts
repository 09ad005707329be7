import type { Knex } from 'knex';
import type { Role } from '../auth/auth.types';
import { sqlNow } from '../db/time';

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
}

export interface NewUser {
  username: string;
  password_hash: string;
  role: Role;
  student_id?: number | null;
  must_change_password?: boolean;
}

export class UsersRepository {
  constructor(private readonly db: Knex) {}

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

  async updatePassword(id: number, passwordHash: string, trx: Knex = this.db): Promise<void> {
    await trx('users')
      .where({ id })
      .update({
        password_hash: passwordHash,
        must_change_password: false,
        updated_at: sqlNow(),
        version: trx.raw('version + 1'),
      });
  }
}
