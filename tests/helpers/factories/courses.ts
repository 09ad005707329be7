import type { Knex } from 'knex';
import { CoursesRepository } from '../../../src/courses/courses.repository';
import type { CourseInput } from '../../../src/courses/courses.schemas';
import { next } from './unique';

export type CourseOverrides = Partial<CourseInput>;

export async function createCourse(
  db: Knex,
  overrides: CourseOverrides = {},
): Promise<{ id: number; code: string; credits: number }> {
  const n = next();
  const input: CourseInput = {
    code: `CRS${n}`,
    name: `课程 ${n}`,
    name_en: null,
    credits: 3,
    department_id: null,
    description: null,
    grading: 'score',
    ...overrides,
  };
  const id = await new CoursesRepository(db).insert(input);
  return { id, code: input.code, credits: input.credits };
}
