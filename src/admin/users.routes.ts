// /admin/users: the administrator's account pages (list, create, deactivate/reactivate, password reset).
import { auditHistory } from '../audit/audit-presenter';
import { Router } from 'express';
import { ROLES } from '../users/users.types';
import type { IdempotentWrites, WriteOutcome } from '../idempotency/idempotent-write';
import { form } from '../middleware/form';
import { pageMeta } from '../lib/paging';
import { keptFilters } from '../lib/sorting';
import { requireRole } from '../middleware/auth';
import { wantsJson } from '../middleware/respond';
import type { UserListRow } from '../users/users.repository';
import { USER_FIELDS } from './users.schemas';
import { toUserJson } from './users.serializer';
import { type AccountWithPassword, AccountRefusedError, type UsersAdminService } from './users.service';

const FILTERS = ['q', 'role', 'active', 'sort', 'dir', 'size'] as const;

/**
 * The temporary password is in this one response only: the page itself (never a flash, which would keep it
 * in the session) or the JSON body (never stored: a replay says the password was already shown once).
 */
const withPassword =
  (status: number, key: string) =>
  ({ user, temporaryPassword }: AccountWithPassword): WriteOutcome => ({
    status,
    location: `/admin/users/${user.id}`,
    body: { data: { ...toUserJson(user), temporary_password: temporaryPassword } },
    storedBody: { data: { ...toUserJson(user), temporary_password: null } },
    page: { view: 'admin/users/password', locals: { account: user, messageKey: key, password: temporaryPassword } },
  });

const toggled =
  (done: string, noop: string) =>
  ({ user, changed }: { user: UserListRow; changed: boolean }): WriteOutcome => ({
    status: 200,
    location: `/admin/users/${user.id}`,
    body: { data: toUserJson(user) },
    flash: { type: changed ? 'success' : 'info', key: changed ? done : noop, params: { username: user.username } },
  });

/** The refused form again, with the people its numbers named shown beside them. */
const newAccountLocals = (_req: unknown, err: unknown) => ({
  roles: ROLES,
  people: err instanceof AccountRefusedError ? err.people : {},
});

export function adminUsersRoutes(deps: { users: UsersAdminService; writes: IdempotentWrites }): Router {
  const router = Router();
  const { users, writes } = deps;
  const admin = requireRole('admin');

  router.get('/', admin, async (req, res) => {
    const page = await users.list(req.query);
    if (wantsJson(req)) {
      // total_exact false: the count stopped COUNT_CAP past the page (users.repository.ts).
      res.json({ data: page.rows.map(toUserJson), meta: { ...pageMeta(page), total_exact: page.exact !== false } });
      return;
    }
    res.render('admin/users/index', { page, filters: keptFilters(req.query, FILTERS, page.sort), roles: ROLES });
  });

  router.get('/new', admin, (_req, res) => {
    res.render('admin/users/new', { values: { role: 'staff' }, errors: {}, roles: ROLES, people: {} });
  });

  router.post(
    '/',
    admin,
    form({ view: 'admin/users/new', keep: USER_FIELDS, locals: newAccountLocals }, (req, res) =>
      writes.handle(req, res, (ctx) => users.create(req.body, ctx), withPassword(201, 'admin.users.created')),
    ),
  );

  router.get('/:id', admin, async (req, res) => {
    const account = await users.get(req.params.id);
    if (wantsJson(req)) {
      res.json({ data: toUserJson(account) });
      return;
    }
    res.render('admin/users/show', { account, history: auditHistory(await users.history(account.id), req.t) });
  });

  router.post('/:id/deactivate', admin, (req, res) =>
    writes.handle(
      req,
      res,
      (ctx) => users.deactivate(req.params.id, ctx),
      toggled('admin.users.deactivated', 'admin.users.already_inactive'),
    ),
  );

  router.post('/:id/reactivate', admin, (req, res) =>
    writes.handle(
      req,
      res,
      (ctx) => users.reactivate(req.params.id, ctx),
      toggled('admin.users.reactivated', 'admin.users.already_active'),
    ),
  );

  router.post('/:id/password-reset', admin, (req, res) =>
    writes.handle(
      req,
      res,
      (ctx) => users.resetPassword(req.params.id, ctx),
      withPassword(200, 'admin.users.password_reset'),
    ),
  );

  return router;
}
