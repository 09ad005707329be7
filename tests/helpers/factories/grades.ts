import type { Knex } from 'knex';
import { GradesRepository } from '../../../src/grades/grades.repository';
import { createCourse, type CourseOverrides } from './courses';
import { insertEnrolment } from './enrolments';
import { createSection, type SectionOverrides } from './sections';

export async function insertGrade(
  db: Knex,
  enrolmentId: number,
  values: { score?: number | null; passed?: boolean | null; version?: number },
): Promise<{ id: number }> {
  const grades = new GradesRepository(db);
  await grades.insert(enrolmentId, { score: values.score ?? null, passed: values.passed ?? null }, null);
  // Raw: a grade edited elsewhere stands at a later version; no repository sets one outright.
  if (values.version !== undefined && values.version !== 1) {
    await db('grades').where({ enrolment_id: enrolmentId }).update({ version: values.version });
  }
  return { id: (await grades.findGrade(enrolmentId))!.id };
}

/** Marks the section's grades locked (published), as POST /sections/:id/grades/lock does. */
export async function lockGrades(db: Knex, sectionId: number): Promise<void> {
  await new GradesRepository(db).lockSection(sectionId);
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
