// /admin/audit: the audit log viewer (admin only), HTML and JSON.
import { Router } from 'express';
import { pageLinks } from '../lib/paging';
import { pickValues } from '../lib/pick-values';
import { requireRole } from '../middleware/auth';
import { wantsJson } from '../middleware/respond';
import { type AuditLogService, toAuditJson } from './audit-log.service';

const FILTERS = ['actor', 'entity', 'entity_id', 'action', 'from', 'to', 'size'] as const;

export function adminAuditRoutes(deps: { auditLog: AuditLogService }): Router {
  const router = Router();

  router.get('/', requireRole('admin'), async (req, res) => {
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
    res.render('admin/audit', { result, filters: pickValues(req.query, FILTERS) });
  });

  return router;
}
