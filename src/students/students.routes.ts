import { recordOutcomes } from '../idempotency/record-outcomes';
import { Router } from 'express';
import type { IdempotentWrites } from '../idempotency/idempotent-write';
import { form, pickValues } from '../lib/forms';
import { keptFilters } from '../lib/sorting';
import { requireRole } from '../middleware/auth';
import { wantsJson } from '../middleware/respond';
import type { StudentRow } from './students.repository';
import { GENDERS, STUDENT_FIELDS, STUDENT_STATUSES } from './students.schemas';
import { toStudentJson } from './students.serializer';
import type { StudentsService } from './students.service';

const FILTERS = ['q', 'status', 'year', 'archived', 'sort', 'dir', 'size'] as const;
const formChoices = { statuses: STUDENT_STATUSES, genders: GENDERS };

const { saved, toggled } = recordOutcomes<StudentRow>('/students', toStudentJson);

export function studentsRoutes(deps: { students: StudentsService; writes: IdempotentWrites }): Router {
  const router = Router();
  const { students, writes } = deps;
  const staff = requireRole('staff', 'admin');
  const admin = requireRole('admin');

  router.get('/', staff, async (req, res) => {
    const page = await students.list(req.query);
    if (wantsJson(req)) {
      const meta = { page: page.page, size: page.size, total: page.total, pages: page.pages };
      res.json({ data: page.rows.map(toStudentJson), meta });
      return;
    }
    res.render('students/index', { page, filters: keptFilters(req.query, FILTERS, page.sort), ...formChoices });
  });

  router.get('/new', staff, (_req, res) => {
    res.render('students/new', { values: { status: 'enrolled' }, errors: {}, ...formChoices });
  });

  router.post(
    '/',
    staff,
    form({ view: 'students/new', keep: STUDENT_FIELDS, locals: () => formChoices }, (req, res) =>
      writes.handle(req, res, (ctx) => students.create(req.body, ctx), saved(201, 'students.created')),
    ),
  );

  router.get('/:id', staff, async (req, res) => {
    const student = await students.get(req.params.id);
    if (wantsJson(req)) {
      res.json({ data: toStudentJson(student) });
      return;
    }
    res.render('students/show', { student, history: await students.history(student.id) });
  });

  router.get('/:id/edit', staff, async (req, res) => {
    const student = await students.getForEdit(req.params.id);
    const values = pickValues(student, [...STUDENT_FIELDS, 'version']);
    res.render('students/edit', { student, values, errors: {}, ...formChoices });
  });

  router.post(
    '/:id',
    staff,
    form(
      {
        view: 'students/edit',
        keep: [...STUDENT_FIELDS, 'version'],
        locals: async (req) => ({ student: await students.get(req.params.id), ...formChoices }),
      },
      (req, res) =>
        writes.handle(req, res, (ctx) => students.update(req.params.id, req.body, ctx), saved(200, 'students.updated')),
    ),
  );

  router.post('/:id/delete', staff, (req, res) =>
    writes.handle(
      req,
      res,
      (ctx) => students.archive(req.params.id, ctx),
      toggled(() => '/students', 'students.archived', 'students.already_archived'),
    ),
  );

  router.post('/:id/restore', admin, (req, res) =>
    writes.handle(
      req,
      res,
      (ctx) => students.restore(req.params.id, ctx),
      toggled((row) => `/students/${row.id}`, 'students.restored', 'students.not_archived'),
    ),
  );

  return router;
}
