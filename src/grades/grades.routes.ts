// The grade grid of a section (staff, admin), mounted under /sections next to the catalogue's routes, and
// its export as CSV or .xlsx.
import { type Request, Router } from 'express';
import type { IdempotentWrites } from '../idempotency/idempotent-write';
import { type AppError } from '../lib/errors';
import { form } from '../middleware/form';
import { requireRole } from '../middleware/auth';
import { exportActions, mountExports } from '../middleware/exports';
import { wantsJson } from '../middleware/respond';
import { enteredCells } from './grades.schemas';
import { toGridJson } from './grades.serializer';
import { distributionChart } from './grade-distribution';
import { gradeColumns } from './grades.export';
import { type GradeGrid, type GradesService, StaleGradesError } from './grades.service';

const gridPath = (id: number) => `/sections/${id}/grades`;

export function gradesRoutes(deps: { grades: GradesService; writes: IdempotentWrites }): Router {
  const router = Router();
  const { grades, writes } = deps;
  const staff = requireRole('staff', 'admin');
  const admin = requireRole('admin');

  /** The page's locals: the grid, who locked or reopened it, and its distribution in the reader's language. */
  const page = async (req: Request, grid: GradeGrid) => ({
    ...grid,
    gridExports: [
      ...exportActions(`/sections/${grid.section.id}/grades/export`, {}, req.t),
      // A locked section takes no grades: no import is offered there.
      ...(grid.section.grades_locked_at === null
        ? [
            {
              href: `/imports/new?kind=grades&section_id=${grid.section.id}`,
              label: req.t('import_jobs.new.title_grades'),
              icon: 'upload',
            },
          ]
        : []),
    ],
    gradesEvent: await grades.gradesEvent(grid.section),
    distributionChart: distributionChart(grid.distribution, req.t, req.lang),
  });

  /** The grid again after a refused save: the entries as typed, the cells someone else saved marked. */
  const refused = async (req: Request, err: AppError) => ({
    ...(await page(req, await grades.grid(req.params.id))),
    entered: enteredCells(req.body),
    staleCells: err instanceof StaleGradesError ? err.cells : [],
  });

  mountExports(router, '/:id/grades/export', staff, async (req) => {
    const { section, batches } = await grades.gridExport(req.params.id);
    const label = `${section.course_code}-${section.section_no}`;
    return { name: ['grades', label], sheet: label, columns: gradeColumns(req.t, section), batches };
  });

  router.get('/:id/grades', staff, async (req, res) => {
    const grid = await grades.grid(req.params.id);
    if (wantsJson(req)) {
      res.json({ data: toGridJson(grid) });
      return;
    }
    const locals = await page(req, grid);
    res.render('grades/grid', { ...locals, entered: undefined, staleCells: [], values: {}, errors: {} });
  });

  router.post(
    '/:id/grades',
    staff,
    form({ view: 'grades/grid', keep: [], locals: refused }, (req, res) =>
      writes.handle(
        req,
        res,
        (ctx) => grades.save(req.params.id, req.body, ctx),
        (grid) => ({
          status: 200,
          location: gridPath(grid.section.id),
          body: { data: { ...toGridJson(grid), changed: grid.changed } },
          flash: {
            type: grid.changed > 0 ? 'success' : 'info',
            key: grid.changed > 0 ? 'grades.saved' : 'grades.unchanged',
            params: { count: String(grid.changed) },
          },
        }),
      ),
    ),
  );

  router.post(
    '/:id/grades/lock',
    staff,
    form({ view: 'grades/grid', keep: [], locals: refused }, (req, res) =>
      writes.handle(
        req,
        res,
        (ctx) => grades.lock(req.params.id, ctx),
        ({ section, changed }) => ({
          status: 200,
          location: gridPath(section.id),
          body: { data: { section_id: section.id, grades_locked_at: section.grades_locked_at, changed } },
          flash: { type: changed ? 'success' : 'info', key: changed ? 'grades.locked_now' : 'grades.already_locked' },
        }),
      ),
    ),
  );

  router.post(
    '/:id/grades/reopen',
    admin,
    form({ view: 'grades/grid', keep: ['reason'], locals: refused }, (req, res) =>
      writes.handle(
        req,
        res,
        (ctx) => grades.reopen(req.params.id, req.body, ctx),
        ({ section, changed }) => ({
          status: 200,
          location: gridPath(section.id),
          body: {
            data: {
              section_id: section.id,
              grades_locked_at: section.grades_locked_at,
              grades_reopened_at: section.grades_reopened_at,
              changed,
            },
          },
          flash: {
            type: changed ? 'success' : 'info',
            key: changed ? 'grades.reopen.done' : 'grades.reopen.already_open',
          },
        }),
      ),
    ),
  );

  return router;
}
