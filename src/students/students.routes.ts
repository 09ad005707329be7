import { Router } from 'express';
import { actorContext } from '../audit/audit-context';
import { form, pickValues } from '../lib/forms';
import { requireRole } from '../middleware/auth';
import { flash } from '../middleware/flash';
import { wantsJson } from '../middleware/respond';
import { GENDERS, SORTABLE, STUDENT_FIELDS, STUDENT_STATUSES } from './students.schemas';
import type { StudentsService } from './students.service';
import { toStudentJson } from './students.serializer';

const FILTERS = ['q', 'status', 'year', 'archived', 'sort', 'dir', 'size'] as const;
const formChoices = { statuses: STUDENT_STATUSES, genders: GENDERS };

export function studentsRoutes(deps: { students: StudentsService }): Router {
  const router = Router();
  const { students } = deps;
  const staff = requireRole('staff', 'admin');
  const admin = requireRole('admin');

  router.get('/', staff, async (req, res) => {
    const page = await students.list(req.query);
    if (wantsJson(req)) {
      res.json({
        data: page.rows.map(toStudentJson),
        meta: { page: page.page, size: page.size, total: page.total, pages: page.pages },
      });
      return;
    }
    res.render('students/index', { page, filters: pickValues(req.query, FILTERS), sortable: SORTABLE, ...formChoices });
  });

  router.get('/new', staff, (_req, res) => {
    res.render('students/new', { values: { status: 'enrolled' }, errors: {}, ...formChoices });
  });

  router.post(
    '/',
    staff,
    form({ view: 'students/new', keep: STUDENT_FIELDS, locals: () => formChoices }, async (req, res) => {
      const created = await students.create(req.body, actorContext(req));
      if (wantsJson(req)) {
        res
          .status(201)
          .location(`/students/${created.id}`)
          .json({ data: toStudentJson(created) });
        return;
      }
      flash(req, 'success', 'students.created', { name: created.name });
      res.redirect(`/students/${created.id}`);
    }),
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
    res.render('students/edit', {
      student,
      values: pickValues(student, [...STUDENT_FIELDS, 'version']),
      errors: {},
      ...formChoices,
    });
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
      async (req, res) => {
        const updated = await students.update(req.params.id, req.body, actorContext(req));
        if (wantsJson(req)) {
          res.json({ data: toStudentJson(updated) });
          return;
        }
        flash(req, 'success', 'students.updated', { name: updated.name });
        res.redirect(`/students/${updated.id}`);
      },
    ),
  );

  router.post('/:id/delete', staff, async (req, res) => {
    const { row, changed } = await students.archive(req.params.id, actorContext(req));
    if (wantsJson(req)) {
      res.json({ data: toStudentJson(row) });
      return;
    }
    flash(req, changed ? 'success' : 'info', changed ? 'students.archived' : 'students.already_archived', {
      name: row.name,
    });
    res.redirect('/students');
  });

  router.post('/:id/restore', admin, async (req, res) => {
    const { row, changed } = await students.restore(req.params.id, actorContext(req));
    if (wantsJson(req)) {
      res.json({ data: toStudentJson(row) });
      return;
    }
    flash(req, changed ? 'success' : 'info', changed ? 'students.restored' : 'students.not_archived', {
      name: row.name,
    });
    res.redirect(`/students/${row.id}`);
  });

  return router;
}
