// One router shape for every organisation record and for terms: list, new, create, show, edit, update,
// and (when the table archives) archive and admin restore. Each kind supplies only its RecordDef.
import { type Request, Router } from 'express';
import type { IdempotentWrites, WriteOutcome } from '../idempotency/idempotent-write';
import { nameParams } from '../idempotency/record-outcomes';
import { type AppError, StaleVersionError } from '../lib/errors';
import { form, pickValues } from '../lib/forms';
import { keptFilters } from '../lib/sorting';
import { requireRole } from '../middleware/auth';
import { wantsJson } from '../middleware/respond';
import type { BaseRow } from './records.repository';
import type { RecordsService } from './records.service';

export interface RecordRoutesOptions<Row extends BaseRow> {
  service: RecordsService<Row>;
  writes: IdempotentWrites;
  /** More for the detail page (a class's students), and the partial that shows it. */
  detail?: (row: Row) => Promise<Record<string, unknown>>;
  showPartial?: string;
  /** Routes of the kind's own, added before the generic `/:id` ones. */
  extend?: (router: Router) => void;
}

export function recordRoutes<Row extends BaseRow>(options: RecordRoutesOptions<Row>): Router {
  const router = Router();
  const { service, writes } = options;
  const { def } = service;
  const staff = requireRole('staff', 'admin');
  const admin = requireRole('admin');
  const fieldNames = def.fields.map((f) => f.name);
  const kind = {
    ns: def.ns,
    base: def.base,
    fields: def.fields,
    listColumns: def.listColumns,
    sortable: def.sortable,
    archivable: def.archivable,
    showPartial: options.showPartial,
  };
  const formLocals = async (req: Request) => ({
    kind,
    labels: def.labelParams?.(req.t) ?? {},
    lookups: await service.lookups(),
  });
  const editLocals = async (req: Request, err?: AppError) => {
    // A stale edit compares the current row with what was typed: show it the way the form shows values.
    const current = err instanceof StaleVersionError ? (err.current as Row) : undefined;
    const conflictValues = current && { ...pickValues(current, fieldNames), ...def.formValues?.(current) };
    return { record: await service.get(req.params.id), conflictValues, ...(await formLocals(req)) };
  };
  // Only an HTML form post is read through the kind's `fromForm`; a JSON request's values mean what the API says.
  const bodyOf = (req: Request): unknown =>
    def.fromForm && !wantsJson(req) && !req.is('application/json')
      ? def.fromForm((req.body ?? {}) as Record<string, unknown>)
      : req.body;

  const saved = (status: number, key: string) => (row: Row) => ({
    status,
    location: `${def.base}/${row.id}`,
    body: { data: def.toJson(row) },
    flash: { type: 'success' as const, key, params: nameParams(def.label(row), def.labelEn?.(row)) },
  });
  const toggled =
    (location: (row: Row) => string, done: string, noop: string) =>
    ({ row, changed }: { row: Row; changed: boolean }): WriteOutcome => ({
      status: 200,
      location: location(row),
      body: { data: def.toJson(row) },
      flash: {
        type: changed ? 'success' : 'info',
        key: changed ? done : noop,
        params: nameParams(def.label(row), def.labelEn?.(row)),
      },
    });

  router.get('/', staff, async (req, res) => {
    const page = await service.list(req.query);
    if (wantsJson(req)) {
      const meta = { page: page.page, size: page.size, total: page.total, pages: page.pages };
      res.json({ data: page.rows.map(def.toJson), meta });
      return;
    }
    const filters = keptFilters(req.query, ['q', 'archived', 'sort', 'dir', 'size'], page.sort);
    res.render('organisation/index', { page, filters, ...(await formLocals(req)) });
  });

  router.get('/new', staff, async (req, res) => {
    res.render('organisation/new', { values: {}, errors: {}, ...(await formLocals(req)) });
  });

  router.post(
    '/',
    staff,
    form({ view: 'organisation/new', keep: fieldNames, locals: formLocals }, (req, res) =>
      writes.handle(req, res, (ctx) => service.create(bodyOf(req), ctx), saved(201, 'org.records.created')),
    ),
  );

  options.extend?.(router);

  router.get('/:id', staff, async (req, res) => {
    const record = await service.get(req.params.id);
    if (wantsJson(req)) {
      res.json({ data: def.toJson(record) });
      return;
    }
    const extra = options.detail ? await options.detail(record) : {};
    res.render('organisation/show', {
      record,
      history: await service.history(record.id),
      ...extra,
      ...(await formLocals(req)),
    });
  });

  router.get('/:id/edit', staff, async (req, res) => {
    const record = await service.getForEdit(req.params.id);
    const values = { ...pickValues(record, [...fieldNames, 'version']), ...def.formValues?.(record) };
    res.render('organisation/edit', { record, values, errors: {}, ...(await formLocals(req)) });
  });

  router.post(
    '/:id',
    staff,
    form({ view: 'organisation/edit', keep: [...fieldNames, 'version'], locals: editLocals }, (req, res) =>
      writes.handle(
        req,
        res,
        (ctx) => service.update(req.params.id, bodyOf(req), ctx),
        saved(200, 'org.records.updated'),
      ),
    ),
  );

  if (def.archivable) {
    router.post('/:id/delete', staff, (req, res) =>
      writes.handle(
        req,
        res,
        (ctx) => service.archive(req.params.id, ctx),
        toggled(() => def.base, 'org.records.archived', 'org.records.already_archived'),
      ),
    );

    router.post('/:id/restore', admin, (req, res) =>
      writes.handle(
        req,
        res,
        (ctx) => service.restore(req.params.id, ctx),
        toggled((row) => `${def.base}/${row.id}`, 'org.records.restored', 'org.records.not_archived'),
      ),
    );
  }

  return router;
}
