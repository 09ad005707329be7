import { auditHistory } from '../audit/audit-presenter';
import { type Request, Router } from 'express';
import type { IdempotentWrites } from '../idempotency/idempotent-write';
import type { ConflictField } from '../lib/conflict';
import { pickValues } from '../lib/pick-values';
import { pageLinks } from '../lib/paging';
import { keptFilters } from '../lib/sorting';
import { requireRole } from '../middleware/auth';
import { exportActions, mountExports } from '../middleware/exports';
import { nameParams } from '../records/record-outcomes';
import { mountRecordWrites } from '../records/record-write-routes';
import type { Option } from '../records/records.types';
import { wantsJson } from '../middleware/respond';
import { GENDERS, STUDENT_FIELDS, STUDENT_STATUSES } from './students.schemas';
import { type ClassNames, studentColumns, withClassCodes } from './students.export';
import { toStudentJson } from './students.serializer';
import type { StudentsService } from './students.service';

const FILTERS = ['q', 'status', 'year', 'archived', 'sort', 'dir', 'size'] as const;
const formChoices = { statuses: STUDENT_STATUSES, genders: GENDERS };

/** A stale edit's table: each field labelled, choices (gender, status, class) shown as the form names them. */
function conflictFields(req: Request, locals: Record<string, unknown>): ConflictField[] {
  const classes = (locals.classes ?? []) as Option[];
  const show: Record<string, (v: string) => string> = {
    gender: (v) => req.t(`gender.${v}`, { defaultValue: v }),
    status: (v) => req.t(`status.${v}`, { defaultValue: v }),
    class_id: (v) => classes.find((c) => String(c.value) === v)?.label ?? v,
  };
  return STUDENT_FIELDS.map((name) => ({ name, label: req.t(`student.${name}`), show: show[name] }));
}

export function studentsRoutes(deps: {
  students: StudentsService;
  writes: IdempotentWrites;
  /** The classes a student can be placed in (active ones). */
  classOptions: () => Promise<Option[]>;
  /** Classes' codes by id, archived ones too (the export names each student's class). */
  classNames: ClassNames;
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
        // The next and previous pages' links, with keyset cursors: they read on from where this page ends.
        ...pageLinks('/students', keptFilters(req.query, FILTERS, page.sort), page),
      };
      res.json({ data: page.rows.map(toStudentJson), meta });
      return;
    }
    const filters = keptFilters(req.query, FILTERS, page.sort);
    const actions = [
      ...exportActions('/students/export', filters, req.t),
      { href: '/imports/new?kind=students', label: req.t('import_jobs.new.title_students'), icon: 'upload' },
    ];
    res.render('students/index', { page, filters, actions, ...formChoices });
  });

  // Before /:id: the list's filters, every match in the list's order (one query per batch, no count).
  mountExports(router, '/export', staff, (req) => ({
    name: ['students'],
    sheet: req.t('students.title'),
    columns: studentColumns(req.t),
    batches: withClassCodes(students.exportBatches(req.query), deps.classNames),
  }));

  router.get('/new', staff, async (_req, res) => {
    res.render('students/new', { values: { status: 'enrolled' }, errors: {}, ...(await choices()) });
  });

  router.get('/:id', staff, async (req, res) => {
    const student = await students.get(req.params.id);
    if (wantsJson(req)) {
      res.json({ data: toStudentJson(student) });
      return;
    }
    const [history, placement] = await Promise.all([students.history(student.id), students.placement(student)]);
    res.render('students/show', { student, history: auditHistory(history, req.t), placement });
  });

  router.get('/:id/edit', staff, async (req, res) => {
    const student = await students.getForEdit(req.params.id);
    const values = pickValues(student, [...STUDENT_FIELDS, 'version']);
    res.render('students/edit', { student, values, errors: {}, ...(await choices(student.class_id)) });
  });

  mountRecordWrites(router, {
    service: students,
    writes,
    answers: {
      base: '/students',
      messages: 'students',
      id: (row) => row.id,
      toJson: toStudentJson,
      name: (row) => nameParams(row.name),
    },
    createForm: { view: 'students/new', keep: STUDENT_FIELDS, locals: () => choices() },
    editForm: {
      view: 'students/edit',
      keep: [...STUDENT_FIELDS, 'version'],
      locals: async (req) => {
        const student = await students.get(req.params.id);
        return { student, ...(await choices(student.class_id)) };
      },
      conflict: { fields: conflictFields },
    },
  });

  return router;
}
