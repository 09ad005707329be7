// /admin/audit: the audit log viewer (admin only), HTML and JSON, and its export as CSV or .xlsx.
import { Router } from 'express';
import { pageLinks } from '../lib/paging';
import { pickValues } from '../lib/pick-values';
import { requireRole } from '../middleware/auth';
import { exportActions, mountExports } from '../middleware/exports';
import { wantsJson } from '../middleware/respond';
import { auditColumns } from './audit-log.export';
import { type AuditLogService, toAuditJson } from './audit-log.service';

const FILTERS = ['actor', 'entity', 'entity_id', 'action', 'from', 'to', 'size'] as const;

export function adminAuditRoutes(deps: { auditLog: AuditLogService }): Router {
  const router = Router();

  const admin = requireRole('admin');

  // The page's filters, every matching entry newest first (one query and one name look-up per batch).
  mountExports(router, '/export', admin, (req, fmt) => ({
    name: ['audit'],
    sheet: req.t('admin.audit.title'),
    columns: auditColumns(req.t, fmt.timeZone),
    batches: deps.auditLog.exportBatches(req.query, req.lang),
  }));

  router.get('/', admin, async (req, res) => {
    const result = await deps.auditLog.search(req.query, req.lang);
    if (wantsJson(req)) {
      // total_exact false: the count stopped AUDIT_COUNT_CAP past the page; next/prev: links with cursors.
      const meta = {
        page: result.page,
        size: result.size,
        total: result.total,
        pages: result.pages,
        total_exact: result.exact,
        ...pageLinks('/admin/audit', pickValues(req.query, FILTERS), result),
      };
      res.json({ data: result.entries.map(toAuditJson), meta });
      return;
    }
    const filters = pickValues(req.query, FILTERS);
    res.render('admin/audit', { result, filters, actions: exportActions('/admin/audit/export', filters, req.t) });
  });

  return router;
}
