// Course selection routes, mounted at /sections beside the catalogue's own sections router.
import { type Request, Router } from 'express';
import type { IdempotentWrites, WriteOutcome } from '../idempotency/idempotent-write';
import { localName } from '../i18n/names';
import type { AppError } from '../lib/errors';
import { form, type FormOptions } from '../middleware/form';
import { currentUser, requireRole } from '../middleware/auth';
import type { SectionPages } from '../sections/section-page';
import { toEnrolmentJson } from './enrolments.serializer';
import type { ClassReport, DropResult, EnrolResult, EnrolmentsService, Roster } from './enrolments.service';

const termPage = (termId: number) => `/sections?term=${termId}`;
/** Students come back to the term's list they chose from; staff to the section page they work on. */
const backTo = (req: Request, section: { id: number; term_id: number }) =>
  req.user?.role === 'student' ? termPage(section.term_id) : `/sections/${section.id}`;
/** What the staff enrolment forms send back after a refusal (never the whole body). */
const ENROL_FIELDS = ['student_no', 'student_id', 'class_id'] as const;
/** "CS101 Fundamentals of Programming": the course's English name on English pages, when one is kept. */
const courseLabel = (req: Request, s: { course_code: string; course_name: string; course_name_en?: string | null }) =>
  `${s.course_code} ${localName(req.lang, s.course_name, s.course_name_en)}`;
/** Staff read about the student they placed ("Li Wei (2024001) ..."), students about themselves ("You ..."). */
const flashKey = (req: Request, key: string) =>
  req.user?.role === 'student' ? `enrolments.${key}` : `enrolments.staff_flash.${key}`;
const who = (student: { student_no: string; name: string }) => ({ name: student.name, student_no: student.student_no });

const selected =
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

const dropped =
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

const classReported =
  (req: Request) =>
  ({ section, lines, counts }: ClassReport): WriteOutcome => {
    const reason = (l: ClassReport['lines'][number]) =>
      l.reason && { code: l.reason.code, message: req.t(l.reason.messageKey, l.reason.params) };
    const refused = lines
      .filter((l) => l.outcome === 'refused')
      .map((l) => `${l.name} (${l.student_no}): ${reason(l)!.message}`)
      .join('; ');
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
          details: refused,
        },
      },
    };
  };

/**
 * Staff enrol from the section page, so a refusal (an unknown student number, already placed, a clash)
 * shows that page again with the message and what they typed: 422 or 409, never a bare error page.
 * Students choose from the term's list and get the refusal as a message there.
 */
const refusedOnSectionPage = (pages: SectionPages<Roster>) =>
  ({
    view: 'sections/show',
    keep: ENROL_FIELDS,
    locals: (req: Request) => pages.show(req.params.id, req.t),
    when: (req: Request, err: AppError) => req.user?.role !== 'student' && (err.status === 409 || err.status === 422),
  }) satisfies FormOptions;

export function enrolmentsRoutes(deps: {
  enrolments: EnrolmentsService;
  writes: IdempotentWrites;
  /** The staff section page, shown again when a staff enrolment is refused. */
  pages: SectionPages<Roster>;
}): Router {
  const router = Router();
  const { enrolments, writes } = deps;
  const signedIn = requireRole('student', 'staff', 'admin');

  router.post(
    '/:id/enrolments',
    signedIn,
    form(refusedOnSectionPage(deps.pages), (req, res) => {
      const actor = currentUser(req);
      const classId = (req.body as Record<string, unknown> | undefined)?.class_id;
      if (actor.role !== 'student' && classId !== undefined && classId !== '' && classId !== null)
        return writes.handle(
          req,
          res,
          (ctx) => enrolments.enrolClass(req.params.id, req.body, ctx),
          classReported(req),
        );
      return writes.handle(req, res, (ctx) => enrolments.enrol(req.params.id, req.body, actor, ctx), selected(req));
    }),
  );

  router.post('/:id/enrolments/:studentId/delete', signedIn, (req, res) =>
    writes.handle(
      req,
      res,
      (ctx) => enrolments.drop(req.params.id, req.params.studentId, currentUser(req), ctx),
      dropped(req),
    ),
  );

  return router;
}
