// Course selection routes, mounted at /sections beside the catalogue's own sections router.
import { type Request, Router } from 'express';
import type { IdempotentWrites } from '../idempotency/idempotent-write';
import { type AppError, ConflictError, ValidationError } from '../lib/errors';
import { form, type FormOptions } from '../middleware/form';
import { currentUser, requireRole } from '../middleware/auth';
import type { SectionPages } from '../sections/section-page';
import { aboutTheStudent, classReported, dropped, isStudent, listFiltersOf, selected } from './enrolment-outcomes';
import { EnrolmentRefused } from './enrolments.errors';
import type { EnrolmentsService, Roster } from './enrolments.service';

/** What the staff enrolment forms send back after a refusal (never the whole body). */
const ENROL_FIELDS = ['student_no', 'student_id', 'class_id'] as const;

const classIdOf = (req: Request) => {
  const classId = (req.body as Record<string, unknown> | undefined)?.class_id;
  return classId !== undefined && classId !== '' && classId !== null ? classId : undefined;
};

/** Students read a refusal about themselves; staff the same rule about the student they placed. */
const refusalMessage = (req: Request, err: AppError) =>
  req.t(isStudent(req) ? err.messageKey : aboutTheStudent(err.messageKey), err.messageParams);

/**
 * A refused choice or drop shows the page it was taken on again, with the message at the top and beside
 * its cause, and its own status (409, 422, 404 for a place already gone), never a bare error page:
 * - students their term's list, with its search, order and page, the message in the row of the section;
 * - staff the section page: under the enrolment form they used, or in the roster row of the student
 *   (an unknown student number stays a field error on the number).
 */
function refusedInPlace(
  pages: SectionPages<Roster>,
  staffAt: (req: Request, err: AppError) => string | undefined,
): FormOptions {
  return {
    view: (req) => (isStudent(req) ? 'sections/index' : 'sections/show'),
    keep: ENROL_FIELDS,
    locals: async (req) => {
      if (!isStudent(req)) return pages.show(req.params.id, req.t);
      // Filters the form carried but the list refuses (hand-made) show the term's list as it starts.
      return pages.list(listFiltersOf(req), req.user, req.params.id).catch((err: unknown) => {
        if (err instanceof ValidationError) return pages.list({}, req.user, req.params.id);
        throw err;
      });
    },
    when: (req, err) =>
      isStudent(req)
        ? err instanceof EnrolmentRefused || err instanceof ConflictError
        : err.status === 409 || err.status === 422 || err instanceof EnrolmentRefused,
    at: (req, err) => (isStudent(req) ? `section-${req.params.id}` : staffAt(req, err)),
    message: refusalMessage,
  };
}

export function enrolmentsRoutes(deps: {
  enrolments: EnrolmentsService;
  writes: IdempotentWrites;
  /** The term's list and the staff section page, shown again when a choice or a drop is refused. */
  pages: SectionPages<Roster>;
}): Router {
  const router = Router();
  const { enrolments, writes } = deps;
  const signedIn = requireRole('student', 'staff', 'admin');
  // Staff: a field error (an unknown number, an empty class) sits on its field; any other refusal under the form used.
  const underTheForm = (req: Request, err: AppError) =>
    err instanceof ValidationError ? undefined : classIdOf(req) !== undefined ? 'enrol-class' : 'enrol-student';

  router.post(
    '/:id/enrolments',
    signedIn,
    form(refusedInPlace(deps.pages, underTheForm), (req, res) => {
      const actor = currentUser(req);
      if (actor.role !== 'student' && classIdOf(req) !== undefined)
        return writes.handle(
          req,
          res,
          (ctx) => enrolments.enrolClass(req.params.id, req.body, ctx),
          classReported(req),
        );
      return writes.handle(req, res, (ctx) => enrolments.enrol(req.params.id, req.body, actor, ctx), selected(req));
    }),
  );

  router.post(
    '/:id/enrolments/:studentId/delete',
    signedIn,
    form(
      refusedInPlace(deps.pages, (req) => `drop-${req.params.studentId}`),
      (req, res) =>
        writes.handle(
          req,
          res,
          (ctx) => enrolments.drop(req.params.id, req.params.studentId, currentUser(req), ctx),
          dropped(req),
        ),
    ),
  );

  return router;
}
