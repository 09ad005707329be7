// Terms: the shared record routes plus `POST /terms/:id/current` and the selection rounds by enrolment
// year (`/terms/:id/rounds`), staff and admin.
import type { Request, Router } from 'express';
import type { IdempotentWrites } from '../idempotency/idempotent-write';
import { requireRole } from '../middleware/auth';
import { form } from '../middleware/form';
import { wantsJson } from '../middleware/respond';
import { recordRoutes } from '../records/records.routes';
import { roundFromForm, roundJson } from './terms.def';
import type { TermsService } from './terms.service';

const ROUND_FIELDS = ['enrolment_year', 'opens_at', 'closes_at'] as const;

export function termsRoutes(deps: { terms: TermsService; writes: IdempotentWrites }): Router {
  const { terms, writes } = deps;
  const staff = requireRole('staff', 'admin');
  // A form's datetime-local values are wall times on the university's clock; JSON keeps UTC (or an offset).
  const roundBody = (req: Request) =>
    wantsJson(req) || req.is('application/json')
      ? req.body
      : roundFromForm((req.body ?? {}) as Record<string, unknown>, terms.timeZone);
  return recordRoutes({
    service: terms,
    writes,
    showPartial: '../terms/_detail',
    detail: async (row) => ({ rounds: await terms.rounds(row.id), roundValues: {}, roundErrors: {} }),
    extend: (router) => {
      router.post('/:id/current', staff, (req, res) =>
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

      router.get('/:id/rounds', staff, async (req, res) => {
        const term = await terms.get(req.params.id);
        const rounds = await terms.rounds(term.id);
        if (wantsJson(req)) {
          res.json({ data: rounds.map(roundJson) });
          return;
        }
        res.redirect(`/terms/${term.id}`);
      });

      // A refused round: the form again on a page of its own, with what was typed and the field messages.
      router.post(
        '/:id/rounds',
        staff,
        form(
          {
            view: 'terms/round-form',
            keep: ROUND_FIELDS,
            locals: async (req) => ({ term: await terms.get(req.params.id) }),
          },
          (req, res) =>
            writes.handle(
              req,
              res,
              (ctx) => terms.addRound(req.params.id, roundBody(req), ctx),
              ({ term, round }) => ({
                status: 201,
                location: `/terms/${term.id}`,
                body: { data: roundJson(round) },
                flash: { type: 'success', key: 'terms.rounds.added', params: { year: String(round.enrolment_year) } },
              }),
            ),
        ),
      );

      router.post('/:id/rounds/:roundId/delete', staff, (req, res) =>
        writes.handle(
          req,
          res,
          (ctx) => terms.removeRound(req.params.id, req.params.roundId, ctx),
          ({ term, round }) => ({
            status: 200,
            location: `/terms/${term.id}`,
            body: { data: roundJson(round) },
            flash: { type: 'success', key: 'terms.rounds.removed', params: { year: String(round.enrolment_year) } },
          }),
        ),
      );
    },
  });
}
