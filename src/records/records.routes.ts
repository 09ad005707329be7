// One router shape for every record kind described by a RecordDef (organisation records, terms): list,
// new, show, edit, and the shared write routes. Each kind supplies only its RecordDef.
import { auditHistory } from '../audit/audit-presenter';
import { type Request, Router } from 'express';
import type { IdempotentWrites } from '../idempotency/idempotent-write';
import { pickValues } from '../lib/pick-values';
import { pageMeta } from '../lib/paging';
import { keptFilters } from '../lib/sorting';
import { requireRole } from '../middleware/auth';
import { wantsJson } from '../middleware/respond';
import { nameParams } from './record-outcomes';
import { mountRecordWrites } from './record-write-routes';
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
  const editLocals = async (req: Request) => ({ record: await service.get(req.params.id), ...(await formLocals(req)) });

  router.get('/', staff, async (req, res) => {
    const page = await service.list(req.query);
    if (wantsJson(req)) {
      res.json({ data: page.rows.map(def.toJson), meta: pageMeta(page) });
      return;
    }
    const filters = keptFilters(req.query, ['q', 'archived', 'sort', 'dir', 'size'], page.sort);
    res.render('organisation/index', { page, filters, ...(await formLocals(req)) });
  });

  router.get('/new', staff, async (req, res) => {
    res.render('organisation/new', { values: {}, errors: {}, ...(await formLocals(req)) });
  });

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
      history: auditHistory(await service.history(record.id), req.t),
      ...extra,
      ...(await formLocals(req)),
    });
  });

  router.get('/:id/edit', staff, async (req, res) => {
    const record = await service.getForEdit(req.params.id);
    const values = { ...pickValues(record, [...fieldNames, 'version']), ...def.formValues?.(record) };
    res.render('organisation/edit', { record, values, errors: {}, ...(await formLocals(req)) });
  });

  mountRecordWrites(router, {
    service,
    writes,
    archivable: def.archivable,
    answers: {
      base: def.base,
      messages: 'org.records',
      id: (row) => row.id,
      toJson: def.toJson,
      name: (row) => nameParams(def.label(row), def.labelEn?.(row)),
    },
    createForm: { view: 'organisation/new', keep: fieldNames, locals: formLocals },
    editForm: {
      view: 'organisation/edit',
      keep: [...fieldNames, 'version'],
      locals: editLocals,
      // A stale edit compares the saved record with what was typed: shown the way the form shows values.
      conflict: {
        fields: (req, locals) =>
          def.fields.map((f) => ({
            name: f.name,
            label: req.t(`${def.ns}.fields.${f.name}`, locals.labels as Record<string, string>),
          })),
        current: (saved) => ({ ...pickValues(saved, fieldNames), ...def.formValues?.(saved as Row) }),
      },
    },
    // Only an HTML form post is read through the kind's `fromForm`; a JSON request's values mean what the API says.
    bodyOf: (req) =>
      def.fromForm && !wantsJson(req) && !req.is('application/json')
        ? def.fromForm((req.body ?? {}) as Record<string, unknown>)
        : req.body,
  });

  return router;
}
