// Terms: the shared record routes plus `POST /terms/:id/current` (staff and admin).
import type { Router } from 'express';
import type { IdempotentWrites } from '../idempotency/idempotent-write';
import { requireRole } from '../middleware/auth';
import { recordRoutes } from '../records/records.routes';
import type { TermsService } from './terms.service';

export function termsRoutes(deps: { terms: TermsService; writes: IdempotentWrites }): Router {
  const { terms, writes } = deps;
  return recordRoutes({
    service: terms,
    writes,
    showPartial: '../terms/_current',
    extend: (router) => {
      router.post('/:id/current', requireRole('staff', 'admin'), (req, res) =>
        writes.handle(
          req,
          res,
          (ctx) => terms.makeCurrent(req.params.id, ctx),
          ({ row, changed }) => ({
            status: 200,
            location: `/terms/${row.id}`,
            body: { data: terms.def.toJson(row) },
            flash: {
              type: changed ? 'success' : 'info',
              key: changed ? 'terms.made_current' : 'terms.already_current',
              params: { name: row.name },
            },
          }),
        ),
      );
    },
  });
}
