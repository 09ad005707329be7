import { recordOutcomes } from '../idempotency/record-outcomes';
import { Router } from 'express';
import type { IdempotentWrites } from '../idempotency/idempotent-write';
import { form, pickValues } from '../lib/forms';
import { keptFilters } from '../lib/sorting';
import { requireRole } from '../middleware/auth';
import type { Option } from '../organisation/records.types';
import { wantsJson } from '../middleware/respond';
import type { StudentRow } from './students.repository';
import { GENDERS, STUDENT_FIELDS, STUDENT_STATUSES } from './students.schemas';
import { toStudentJson } from './students.serializer';
import type { StudentsService } from './students.service';

const FILTERS = ['q', 'status', 'year', 'archived', 'sort', 'dir', 'size'] as const;
const formChoices = { statuses: STUDENT_STATUSES, genders: GENDERS };

const { saved, toggled } = recordOutcomes<StudentRow>('/students', toStudentJson);

export function studentsRoutes(deps: {
  students: StudentsService;
  writes: IdempotentWrites;
  /** The classes a student can be placed in (active ones). */
  classOptions: () => Promise<Option[]>;
}): Router {
  const router = Router();
  const { students, writes } = deps;
  /** The form's choices; a student's current class stays choosable even once archived, so a save keeps it. */
  const choices = async (currentClassId?: number | null) => {
    const classes = await deps.classOptions();
    if (currentClassId && !classes.some((c) => Number(c.value) === currentClassId))
      classes.unshift({ value: currentClassId, label: `#${currentClassId}` });
    return { ...formChoices, classes };
  };
  const staff = requireRole('staff', 'admin');
  const admin = requireRole('admin');

  router.get('/', staff, async (req, res) => {
    const page = await students.list(req.query);
    if (wantsJson(req)) {
      // total_exact false: a name search stopped counting; `total` (and `pages`) are then lower bounds.
      const meta = {
        page: page.page,
        size: page.size,
        total: page.total,
        pages: page.pages,
        total_exact: page.exact !== false,
      };
      res.json({ data: page.rows.map(toStudentJson), meta });
      return;
    }
    res.render('students/index', { page, filters: keptFilters(req.query, FILTERS, page.sort), ...formChoices });
  });

  router.get('/new', staff, async (_req, res) => {
    res.render('students/new', { values: { status: 'enrolled' }, errors: {}, ...(await choices()) });
  });

  router.post(
    '/',
    staff,
    form({ view: 'students/new', keep: STUDENT_FIELDS, locals: () => choices() }, (req, res) =>
      writes.handle(req, res, (ctx) => students.create(req.body, ctx), saved(201, 'students.created')),
    ),
  );

  router.get('/:id', staff, async (req, res) => {
    const student = await students.get(req.params.id);
    if (wantsJson(req)) {
      res.json({ data: toStudentJson(student) });
      return;
    }
    const [history, placement] = await Promise.all([students.history(student.id), students.placement(student)]);
    res.render('students/show', { student, history, placement });
  });

  router.get('/:id/edit', staff, async (req, res) => {
    const student = await students.getForEdit(req.params.id);
    const values = pickValues(student, [...STUDENT_FIELDS, 'version']);
    res.render('students/edit', { student, values, errors: {}, ...(await choices(student.class_id)) });
  });

  router.post(
    '/:id',
    staff,
    form(
      {
        view: 'students/edit',
        keep: [...STUDENT_FIELDS, 'version'],
        locals: async (req) => {
          const student = await students.get(req.params.id);
          return { student, ...(await choices(student.class_id)) };
        },
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
