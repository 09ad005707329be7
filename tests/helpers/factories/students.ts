import type { Knex } from 'knex';
import { StudentsRepository, type StudentRow } from '../../../src/students/students.repository';
import type { StudentInput } from '../../../src/students/students.schemas';
import { next } from './unique';

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
  const form: Record<string, string> = {};
  for (const [k, v] of Object.entries(studentInput())) form[k] = v === null ? '' : String(v);
  return { ...form, ...overrides };
}

export async function createStudent(db: Knex, overrides: Partial<StudentInput> = {}): Promise<StudentRow> {
  const repo = new StudentsRepository(db);
  const id = await repo.insert(studentInput(overrides));
  return (await repo.findById(id))!;
}
