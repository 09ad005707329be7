// Course selection routes, mounted at /sections beside the catalogue's own sections router.
import { type Request, Router } from 'express';
import type { IdempotentWrites, WriteOutcome } from '../idempotency/idempotent-write';
import { currentUser, requireRole } from '../middleware/auth';
import { toEnrolmentJson } from './enrolments.serializer';
import type { ClassReport, DropResult, EnrolResult, EnrolmentsService } from './enrolments.service';

const termPage = (termId: number) => `/sections?term=${termId}`;
const courseLabel = (s: { course_code: string; course_name: string }) => `${s.course_code} ${s.course_name}`;

const selected =
  (req: Request) =>
  ({ outcome, enrolment, section, position }: EnrolResult): WriteOutcome => {
    const course = courseLabel(section);
    if (outcome === 'enrolled')
      return {
        status: 201,
        location: termPage(section.term_id),
        body: { data: toEnrolmentJson(enrolment) },
        flash: { type: 'success', key: 'enrolments.enrolled', params: { course } },
      };
    const params = { course, position: String(position) };
    return {
      status: 409,
      location: termPage(section.term_id),
      body: {
        error: {
          code: 'section_full',
          message: req.t('enrolments.errors.section_full', params),
          waitlist: { position },
          data: toEnrolmentJson(enrolment, position),
        },
      },
      flash: { type: 'info', key: 'enrolments.waitlisted', params },
    };
  };

const dropped = ({ enrolment, section, previousStatus, promoted }: DropResult): WriteOutcome => ({
  status: 200,
  location: termPage(section.term_id),
  body: { data: { ...toEnrolmentJson(enrolment), promoted_student_id: promoted?.student_id ?? null } },
  flash: {
    type: 'success',
    key: previousStatus === 'waitlisted' ? 'enrolments.waitlist_left' : 'enrolments.dropped',
    params: { course: courseLabel(section) },
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
      location: termPage(section.term_id),
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
          course: courseLabel(section),
          enrolled: String(counts.enrolled),
          waitlisted: String(counts.waitlisted),
          refused: String(counts.refused),
          details: refused,
        },
      },
    };
  };

export function enrolmentsRoutes(deps: { enrolments: EnrolmentsService; writes: IdempotentWrites }): Router {
  const router = Router();
  const { enrolments, writes } = deps;
  const signedIn = requireRole('student', 'staff', 'admin');

  router.post('/:id/enrolments', signedIn, (req, res) => {
    const actor = currentUser(req);
    const classId = (req.body as Record<string, unknown> | undefined)?.class_id;
    if (actor.role !== 'student' && classId !== undefined && classId !== '' && classId !== null)
      return writes.handle(req, res, (ctx) => enrolments.enrolClass(req.params.id, req.body, ctx), classReported(req));
    return writes.handle(req, res, (ctx) => enrolments.enrol(req.params.id, req.body, actor, ctx), selected(req));
  });

  router.post('/:id/enrolments/:studentId/delete', signedIn, (req, res) =>
    writes.handle(
      req,
      res,
      (ctx) => enrolments.drop(req.params.id, req.params.studentId, currentUser(req), ctx),
      dropped,
    ),
  );

  return router;
}
