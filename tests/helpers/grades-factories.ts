// Grades rows for tests, inserted with plain knex (the grid itself is tested through HTTP).
import type { Knex } from 'knex';
import { sqlNow } from '../../src/lib/time';
import {
  createCourse,
  createSection,
  insertEnrolment,
  type CourseOverrides,
  type SectionOverrides,
} from './catalogue-factories';

export async function insertGrade(
  db: Knex,
  enrolmentId: number,
  values: { score?: number | null; passed?: boolean | null; version?: number },
): Promise<{ id: number }> {
  const now = sqlNow();
  const [id] = await db('grades').insert({
    enrolment_id: enrolmentId,
    score: values.score ?? null,
    passed: values.passed ?? null,
    version: values.version ?? 1,
    created_at: now,
    updated_at: now,
  });
  return { id: Number(id) };
}

/** Marks the section's grades locked (published), as POST /sections/:id/grades/lock does. */
export async function lockGrades(db: Knex, sectionId: number): Promise<void> {
  await db('sections').where({ id: sectionId }).update({ grades_locked_at: sqlNow() });
}

/** A section of a new course with the given students enrolled; the enrolment ids in the same order. */
export async function sectionWithStudents(
  db: Knex,
  studentIds: number[],
  options: { course?: CourseOverrides; section?: SectionOverrides } = {},
): Promise<{ sectionId: number; courseId: number; termId: number; enrolmentIds: number[] }> {
  const course = await createCourse(db, options.course);
  const section = await createSection(db, { ...options.section, courseId: course.id });
  const enrolmentIds: number[] = [];
  for (const studentId of studentIds) enrolmentIds.push((await insertEnrolment(db, section.id, studentId)).id);
  return { sectionId: section.id, courseId: course.id, termId: section.termId, enrolmentIds };
}
