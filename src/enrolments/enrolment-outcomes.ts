// The answers of selection's writes: where a choice, a drop or a class enrolment leads, its flash message
// (students read about themselves, staff about the student they placed) and its JSON body.
import type { Request } from 'express';
import type { WriteOutcome } from '../idempotency/idempotent-write';
import { hasText } from '../i18n/i18n';
import { localName } from '../i18n/names';
import { wantsJson } from '../middleware/respond';
import { LIST_FILTERS } from '../sections/section-page';
import { pickValues } from '../lib/pick-values';
import { toEnrolmentJson } from './enrolments.serializer';
import type { ClassReport, DropResult, EnrolResult } from './enrolments.service';

export const isStudent = (req: Request) => req.user?.role === 'student';

/**
 * A refusal's text as staff read it, about the student they placed ("clashes with their timetable")
 * where the rule has such words (enrolments.staff_errors), else the rule's own. JSON keeps the rule's own.
 */
export function aboutTheStudent(messageKey: string): string {
  const staffKey = messageKey.replace(/^enrolments\.errors\./, 'enrolments.staff_errors.');
  return staffKey !== messageKey && hasText(staffKey) ? staffKey : messageKey;
}

/** The list filters (and page) a student's row form carries, so the same list comes back. */
export const listFiltersOf = (req: Request) => pickValues(req.body, [...LIST_FILTERS, 'page']);

/**
 * Students come back to the term's list they chose from (with its search, order and page when the form
 * carried them); staff to the section page they work on.
 */
function backTo(req: Request, section: { id: number; term_id: number }): string {
  if (!isStudent(req)) return `/sections/${section.id}`;
  const filters = wantsJson(req) ? {} : listFiltersOf(req);
  if (!filters.term) return `/sections?term=${section.term_id}`;
  return `/sections?${new URLSearchParams(filters).toString()}`;
}

/** "CS101 Fundamentals of Programming": the course's English name on English pages, when one is kept. */
const courseLabel = (req: Request, s: { course_code: string; course_name: string; course_name_en?: string | null }) =>
  `${s.course_code} ${localName(req.lang, s.course_name, s.course_name_en)}`;
/** Staff read about the student they placed ("Li Wei (2024001) ..."), students about themselves ("You ..."). */
const flashKey = (req: Request, key: string) =>
  isStudent(req) ? `enrolments.${key}` : `enrolments.staff_flash.${key}`;
const who = (student: { student_no: string; name: string }) => ({ name: student.name, student_no: student.student_no });

export const selected =
  (req: Request) =>
  ({ outcome, enrolment, section, student, position }: EnrolResult): WriteOutcome => {
    const course = courseLabel(req, section);
    if (outcome === 'enrolled')
      return {
        status: 201,
        location: backTo(req, section),
        body: { data: toEnrolmentJson(enrolment) },
        flash: { type: 'success', key: flashKey(req, 'enrolled'), params: { course, ...who(student) } },
      };
    const params = { course, position: String(position) };
    return {
      status: 409,
      location: backTo(req, section),
      body: {
        error: {
          code: 'section_full',
          message: req.t('enrolments.errors.section_full', params),
          waitlist: { position },
          data: toEnrolmentJson(enrolment, position),
        },
      },
      flash: { type: 'info', key: flashKey(req, 'waitlisted'), params: { ...params, ...who(student) } },
    };
  };

export const dropped =
  (req: Request) =>
  ({ enrolment, section, student, previousStatus, promoted }: DropResult): WriteOutcome => ({
    status: 200,
    location: backTo(req, section),
    body: { data: { ...toEnrolmentJson(enrolment), promoted_student_id: promoted?.student_id ?? null } },
    flash: {
      type: 'success',
      key: flashKey(req, previousStatus === 'waitlisted' ? 'waitlist_left' : 'dropped'),
      params: { course: courseLabel(req, section), ...who(student) },
    },
  });

/**
 * A class enrolment: JSON has every student with their outcome; the page a summary, and the refused
 * students as a list (one line each: name, number, reason) that the section page shows under the class form.
 */
export const classReported =
  (req: Request) =>
  ({ section, lines, counts }: ClassReport): WriteOutcome => {
    const reason = (l: ClassReport['lines'][number]) =>
      l.reason && { code: l.reason.code, message: req.t(l.reason.messageKey, l.reason.params) };
    const refused = lines.flatMap((l) =>
      l.outcome === 'refused' && l.reason
        ? [
            {
              key: 'enrolments.class_report_line',
              params: { name: l.name, student_no: l.student_no },
              reason: { key: aboutTheStudent(l.reason.messageKey), params: l.reason.params },
            },
          ]
        : [],
    );
    return {
      status: 200,
      location: backTo(req, section),
      body: {
        data: {
          section_id: section.id,
          counts,
          students: lines.map((l) => ({
            student_id: l.student_id,
            student_no: l.student_no,
            name: l.name,
            outcome: l.outcome,
            waitlist_position: l.position,
            reason: reason(l),
          })),
        },
      },
      flash: {
        type: counts.refused > 0 ? 'info' : 'success',
        key: 'enrolments.class_report',
        params: {
          course: courseLabel(req, section),
          enrolled: String(counts.enrolled),
          waitlisted: String(counts.waitlisted),
          refused: String(counts.refused),
        },
        lines: refused,
      },
    };
  };
