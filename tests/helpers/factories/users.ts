import type { Knex } from 'knex';
import type { Role } from '../../../src/users/users.types';
import { hashPassword } from '../../../src/auth/passwords';
import { UsersRepository } from '../../../src/users/users.repository';
import { next } from './unique';

export const PASSWORD = 'correct-horse-battery';

export interface TestUser {
  id: number;
  username: string;
  password: string;
  role: Role;
}

export async function createUser(
  db: Knex,
  role: Role,
  options: { studentId?: number | null; mustChangePassword?: boolean; active?: boolean; username?: string } = {},
): Promise<TestUser> {
  const username = options.username ?? `${role}_${next()}`;
  const users = new UsersRepository(db);
  const id = await users.insert({
    username,
    password_hash: await hashPassword(PASSWORD),
    role,
    student_id: options.studentId ?? null,
    must_change_password: options.mustChangePassword ?? false,
  });
  if (options.active === false) await users.setActive(id, false);
  return { id, username, password: PASSWORD, role };
}
