import { type Request, type RequestHandler, Router } from 'express';
import { actorContext } from '../audit/audit-context';
import { form } from '../lib/forms';
import { requireRole, currentUser } from '../middleware/auth';
import { wantsJson } from '../middleware/respond';
import type { IdempotentWrites } from '../idempotency/idempotent-write';
import type { AuthService } from './auth.service';

function safeReturnTo(value: unknown): string {
  // Only a local path: never an open redirect to another host.
  return typeof value === 'string' && /^\/(?!\/)[^\s\\]*$/.test(value) ? value : '/';
}

function regenerateSession(req: Request): Promise<void> {
  const { lang, returnTo } = req.session;
  return new Promise((resolve, reject) =>
    req.session.regenerate((err) => {
      if (err) return reject(err);
      if (lang) req.session.lang = lang;
      if (returnTo) req.session.returnTo = returnTo;
      resolve();
    }),
  );
}

export function authRoutes(deps: { auth: AuthService; writes: IdempotentWrites; loginLimiters: RequestHandler[] }) {
  const router = Router();
  const anyone = requireRole('admin', 'staff', 'student');

  router.get('/login', (req, res) => {
    if (req.user) return res.redirect('/');
    res.render('auth/login', { values: {}, errors: {} });
  });

  router.post(
    '/login',
    ...deps.loginLimiters,
    form({ view: 'auth/login', keep: ['username'] }, async (req, res) => {
      const user = await deps.auth.login(req.body, { requestId: actorContext(req).requestId });
      // A new session id at sign-in defeats session fixation.
      await regenerateSession(req);
      req.session.userId = user.id;
      const target = safeReturnTo(req.session.returnTo);
      delete req.session.returnTo;
      if (wantsJson(req)) {
        res.json({ data: { id: user.id, username: user.username, role: user.role } });
        return;
      }
      res.redirect(user.mustChangePassword ? '/account/password' : target);
    }),
  );

  router.post('/logout', async (req, res) => {
    await deps.auth.recordLogout(actorContext(req));
    const lang = req.session.lang;
    await new Promise<void>((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
    res.clearCookie('sis.sid');
    if (wantsJson(req)) {
      res.status(204).end();
      return;
    }
    res.redirect(lang ? `/login?lang=${encodeURIComponent(lang)}` : '/login');
  });

  router.get('/account/password', anyone, (req, res) => {
    res.render('account/password', { values: {}, errors: {}, forced: currentUser(req).mustChangePassword });
  });

  router.post(
    '/account/password',
    anyone,
    form(
      { view: 'account/password', keep: [], locals: (req) => ({ forced: currentUser(req).mustChangePassword }) },
      (req, res) =>
        deps.writes.handle(
          req,
          res,
          (ctx) => deps.auth.changePassword(currentUser(req).id, req.body, ctx),
          () => ({
            status: 200,
            location: '/',
            body: { data: { password_changed: true } },
            flash: { type: 'success', key: 'account.password_changed' },
          }),
        ),
    ),
  );

  return router;
}
