import { auditHistory } from '../audit/audit-presenter';
import { Router } from 'express';
import type { IdempotentWrites } from '../idempotency/idempotent-write';
import { pickValues } from '../lib/pick-values';
import { pageMeta } from '../lib/paging';
import { keptFilters } from '../lib/sorting';
import { requireRole } from '../middleware/auth';
import { wantsJson } from '../middleware/respond';
import { nameParams } from '../records/record-outcomes';
import { mountRecordWrites } from '../records/record-write-routes';
import { COURSE_FIELDS, GRADINGS } from './courses.schemas';
import { toCourseJson } from './courses.serializer';
import type { CoursesService } from './courses.service';

const FILTERS = ['q', 'archived', 'sort', 'dir', 'size'] as const;

export function coursesRoutes(deps: { courses: CoursesService; writes: IdempotentWrites }): Router {
  const router = Router();
  const { courses, writes } = deps;
  const staff = requireRole('staff', 'admin');
  const choices = async () => ({ gradings: GRADINGS, departments: await courses.departmentOptions() });

  router.get('/', staff, async (req, res) => {
    const page = await courses.list(req.query);
    if (wantsJson(req)) {
      res.json({ data: page.rows.map(toCourseJson), meta: pageMeta(page) });
      return;
    }
    res.render('courses/index', { page, filters: keptFilters(req.query, FILTERS, page.sort) });
  });

  router.get('/new', staff, async (_req, res) => {
    res.render('courses/new', { values: { grading: 'score' }, errors: {}, ...(await choices()) });
  });

  router.get('/:id', staff, async (req, res) => {
    const course = await courses.get(req.params.id);
    if (wantsJson(req)) {
      res.json({ data: toCourseJson(course) });
      return;
    }
    const [history, department] = await Promise.all([courses.history(course.id), courses.department(course)]);
    res.render('courses/show', { course, history: auditHistory(history, req.t), department });
  });

  router.get('/:id/edit', staff, async (req, res) => {
    const course = await courses.getForEdit(req.params.id);
    const values = pickValues({ ...course, credits: Number(course.credits) }, [...COURSE_FIELDS, 'version']);
    res.render('courses/edit', { course, values, errors: {}, ...(await choices()) });
  });

  mountRecordWrites(router, {
    service: courses,
    writes,
    answers: {
      base: '/courses',
      messages: 'catalogue.courses',
      id: (row) => row.id,
      toJson: toCourseJson,
      name: (row) => nameParams(row.name, row.name_en),
    },
    createForm: { view: 'courses/new', keep: COURSE_FIELDS, locals: choices },
    editForm: {
      view: 'courses/edit',
      keep: [...COURSE_FIELDS, 'version'],
      locals: async (req) => ({ course: await courses.get(req.params.id), ...(await choices()) }),
      conflict: {
        fields: (req) => COURSE_FIELDS.map((name) => ({ name, label: req.t(`catalogue.course.${name}`) })),
        // decimal(3,1) reads back as '3.0' on MySQL; the form shows 3.
        current: (saved) => ({ ...saved, credits: Number(saved.credits) }),
      },
    },
  });

  return router;
}
