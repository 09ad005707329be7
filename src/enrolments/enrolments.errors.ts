// Refusals of a selection. Their messages may name something (the clashing course): `params`.
import { AppError } from '../lib/errors';

export class EnrolmentRefused extends AppError {
  constructor(
    status: number,
    code: string,
    messageKey: string,
    params: Record<string, string> = {},
    details: Record<string, unknown> = {},
  ) {
    super(status, code, messageKey, details, params);
  }
}

export const refusals = {
  sectionClosed: () => new EnrolmentRefused(409, 'section_closed', 'enrolments.errors.section_closed'),
  alreadyEnrolled: (status: string) =>
    new EnrolmentRefused(409, 'already_enrolled', 'enrolments.errors.already_enrolled', {}, { status }),
  selectionClosed: () => new EnrolmentRefused(422, 'selection_closed', 'enrolments.errors.selection_closed'),
  // Both names go along: the English message names the course by its English name when it has one.
  clash: (course: { code: string; name: string; name_en: string | null }) =>
    new EnrolmentRefused(
      409,
      'timetable_clash',
      'enrolments.errors.timetable_clash',
      { code: course.code, name: course.name, name_en: course.name_en ?? course.name },
      { clash: { course_code: course.code, course_name: course.name, course_name_en: course.name_en } },
    ),
  // A course with a grade recorded stays on the record: a drop would take the grade off the grade sheet.
  graded: (section: { course_code: string; course_name: string; course_name_en: string | null }) =>
    new EnrolmentRefused(409, 'enrolment_graded', 'enrolments.errors.enrolment_graded', {
      code: section.course_code,
      name: section.course_name,
      name_en: section.course_name_en ?? section.course_name,
    }),
  notEnrolled: () => new EnrolmentRefused(404, 'not_enrolled', 'enrolments.errors.not_enrolled'),
  // Suspended, graduated or withdrawn: the message names the record's status in the reader's language.
  studentNotActive: (status: string) =>
    new EnrolmentRefused(409, 'student_not_active', 'enrolments.errors.student_not_active', { status }, { status }),
};
