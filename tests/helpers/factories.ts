// Each test makes the rows it needs, with unique values, through the real repositories.
import type { Knex } from 'knex';
import { hashPassword } from '../../src/auth/passwords';
import type { Role } from '../../src/users/users.types';
import { sqlNow } from '../../src/lib/time';
import { StudentsRepository, type StudentRow } from '../../src/students/students.repository';
import type { StudentInput } from '../../src/students/students.schemas';
import { UsersRepository } from '../../src/users/users.repository';

let counter = 0;
const next = () => `${process.pid % 10000}${String(++counter).padStart(4, '0')}`;

export const PASSWORD = 'correct-horse-battery';

export function studentInput(overrides: Partial<StudentInput> = {}): StudentInput {
  const n = next();
  return {
    student_no: `T${n}`,
    name: `测试学生 ${n}`,
    gender: 'female',
    birth_date: '2005-04-01',
    email: `t${n}@students.example.edu`,
    phone: '13800138000',
    address: '北京市海淀区 1 号',
    enrolment_year: 2024,
    status: 'enrolled',
    class_id: null,
    ...overrides,
  };
}

/** Form-style (all strings) body for POSTs. */
export function studentForm(overrides: Record<string, string> = {}): Record<string, string> {
  const input = studentInput();
  const form: Record<string, string> = {};
  for (const [k, v] of Object.entries(input)) form[k] = v === null ? '' : String(v);
  return { ...form, ...overrides };
}

export async function createStudent(db: Knex, overrides: Partial<StudentInput> = {}): Promise<StudentRow> {
  const repo = new StudentsRepository(db);
  const id = await repo.insert(studentInput(overrides));
  return (await repo.findById(id))!;
}

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
  if (options.active === false) await db('users').where({ id }).update({ active: false });
  return { id, username, password: PASSWORD, role };
}

/** A department, a major in it and an administrative class of that major, for rows that need a class. */
export async function createClass(
  db: Knex,
  overrides: { entry_year?: number } = {},
): Promise<{ id: number; majorId: number; departmentId: number }> {
  const n = next();
  const now = sqlNow();
  const [departmentId] = await db('departments').insert({
    code: `D${n}`,
    name: `院系 ${n}`,
    created_at: now,
    updated_at: now,
  });
  const [majorId] = await db('majors').insert({
    department_id: departmentId,
    code: `M${n}`,
    name: `专业 ${n}`,
    created_at: now,
    updated_at: now,
  });
  const [id] = await db('classes').insert({
    code: `C${n}`,
    name: `班级 ${n}`,
    major_id: majorId,
    entry_year: overrides.entry_year ?? 2024,
    created_at: now,
    updated_at: now,
  });
  return { id: Number(id), majorId: Number(majorId), departmentId: Number(departmentId) };
}
