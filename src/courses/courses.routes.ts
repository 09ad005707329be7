import { recordOutcomes } from '../idempotency/record-outcomes';
import { Router } from 'express';
import type { IdempotentWrites } from '../idempotency/idempotent-write';
import { form, pickValues } from '../lib/forms';
import { keptFilters } from '../lib/sorting';
import { requireRole } from '../middleware/auth';
import { wantsJson } from '../middleware/respond';
import type { CourseRow } from './courses.repository';
import { COURSE_FIELDS, GRADINGS } from './courses.schemas';
import { toCourseJson } from './courses.serializer';
import type { CoursesService } from './courses.service';

const FILTERS = ['q', 'archived', 'sort', 'dir', 'size'] as const;

const { saved, toggled } = recordOutcomes<CourseRow>('/courses', toCourseJson);

export function coursesRoutes(deps: { courses: CoursesService; writes: IdempotentWrites }): Router {
  const router = Router();
  const { courses, writes } = deps;
  const staff = requireRole('staff', 'admin');
  const admin = requireRole('admin');
  const choices = async () => ({ gradings: GRADINGS, departments: await courses.departmentOptions() });

  router.get('/', staff, async (req, res) => {
    const page = await courses.list(req.query);
    if (wantsJson(req)) {
      const meta = { page: page.page, size: page.size, total: page.total, pages: page.pages };
      res.json({ data: page.rows.map(toCourseJson), meta });
      return;
    }
    res.render('courses/index', { page, filters: keptFilters(req.query, FILTERS, page.sort) });
  });

  router.get('/new', staff, async (_req, res) => {
    res.render('courses/new', { values: { grading: 'score' }, errors: {}, ...(await choices()) });
  });

  router.post(
    '/',
    staff,
    form({ view: 'courses/new', keep: COURSE_FIELDS, locals: choices }, (req, res) =>
      writes.handle(req, res, (ctx) => courses.create(req.body, ctx), saved(201, 'catalogue.courses.created')),
    ),
  );

  router.get('/:id', staff, async (req, res) => {
    const course = await courses.get(req.params.id);
    if (wantsJson(req)) {
      res.json({ data: toCourseJson(course) });
      return;
    }
    const [history, department] = await Promise.all([courses.history(course.id), courses.department(course)]);
    res.render('courses/show', { course, history, department });
  });

  router.get('/:id/edit', staff, async (req, res) => {
    const course = await courses.getForEdit(req.params.id);
    const values = pickValues({ ...course, credits: Number(course.credits) }, [...COURSE_FIELDS, 'version']);
    res.render('courses/edit', { course, values, errors: {}, ...(await choices()) });
  });

  router.post(
    '/:id',
    staff,
    form(
      {
        view: 'courses/edit',
        keep: [...COURSE_FIELDS, 'version'],
        locals: async (req) => ({ course: await courses.get(req.params.id), ...(await choices()) }),
      },
      (req, res) =>
        writes.handle(
          req,
          res,
          (ctx) => courses.update(req.params.id, req.body, ctx),
          saved(200, 'catalogue.courses.updated'),
        ),
    ),
  );

  router.post('/:id/delete', staff, (req, res) =>
    writes.handle(
      req,
      res,
      (ctx) => courses.archive(req.params.id, ctx),
      toggled(() => '/courses', 'catalogue.courses.archived', 'catalogue.courses.already_archived'),
    ),
  );

  router.post('/:id/restore', admin, (req, res) =>
    writes.handle(
      req,
      res,
      (ctx) => courses.restore(req.params.id, ctx),
      toggled((row) => `/courses/${row.id}`, 'catalogue.courses.restored', 'catalogue.courses.not_archived'),
    ),
  );

  return router;
}
