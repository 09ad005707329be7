import { type Request, Router } from 'express';
import { actorContext } from '../audit/audit-context';
import { form } from '../middleware/form';
import {
  requireRole,
  currentUser,
  endSession,
  RETURN_COOKIE,
  RETURN_COOKIE_OPTIONS,
  returnAddress,
} from '../middleware/auth';
import { issueSessionCsrfToken, LOGIN_CSRF_COOKIE } from '../middleware/csrf';
import { wantsJson } from '../middleware/respond';
import type { IdempotentWrites } from '../idempotency/idempotent-write';
import type { WaitingRoomService } from '../waiting-room/waiting-room.service';
import type { AuthService } from './auth.service';

/** A new session id at sign-in (no fixation), keeping only the language choice. */
async function regenerateSession(req: Request): Promise<void> {
  const { lang } = req.session;
  await endSession(req);
  if (lang) req.session.lang = lang;
}

/** Sent on sign-out: the browser drops what it cached of the signed-in pages, and the cookies. */
const CLEAR_SITE_DATA = '"cache", "cookies", "storage"';

export function authRoutes(deps: {
  auth: AuthService;
  writes: IdempotentWrites;
  /** A student who signs out gives up their place in course selection's waiting room at once. */
  room: Pick<WaitingRoomService, 'leave'>;
}) {
  const router = Router();
  const anyone = requireRole('admin', 'staff', 'student');

  router.get('/login', (req, res) => {
    if (req.user) return res.redirect('/');
    res.render('auth/login', { values: {}, errors: {} });
  });

  router.post(
    '/login',
    form({ view: 'auth/login', keep: ['username'] }, async (req, res) => {
      const { requestId, clientRequestId } = actorContext(req);
      const user = await deps.auth.login(req.body, { requestId, clientRequestId }, req.ip ?? '');
      // A new session id at sign-in defeats session fixation.
      await regenerateSession(req);
      req.session.userId = user.id;
      req.session.sessionVersion = user.sessionVersion;
      req.session.signedInAt = Date.now();
      issueSessionCsrfToken(req);
      const cookies = req.cookies as Record<string, unknown>;
      const target = returnAddress(cookies[RETURN_COOKIE]) ?? '/';
      // Both served their purpose: the signed-in session has its own CSRF token.
      if (cookies[RETURN_COOKIE] !== undefined) res.clearCookie(RETURN_COOKIE, { path: RETURN_COOKIE_OPTIONS.path });
      if (cookies[LOGIN_CSRF_COOKIE] !== undefined) res.clearCookie(LOGIN_CSRF_COOKIE, { path: '/' });
      if (wantsJson(req)) {
        res.json({ data: { id: user.id, username: user.username, role: user.role } });
        return;
      }
      res.redirect(user.mustChangePassword ? '/account/password' : target);
    }),
  );

  router.post('/logout', async (req, res) => {
    await deps.auth.recordLogout(actorContext(req));
    if (req.user?.role === 'student') {
      // Only a convenience for the next in line (the admission expires by itself): never fails a sign-out.
      await deps.room.leave(req.user.id).catch((err: unknown) => req.log.warn({ err }, 'waiting room: leave failed'));
    }
    const lang = req.session.lang;
    await new Promise<void>((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
    res.clearCookie('sis.sid');
    res.setHeader('Clear-Site-Data', CLEAR_SITE_DATA);
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
          async (ctx) => {
            const changed = await deps.auth.changePassword(currentUser(req).id, req.body, ctx);
            // This session goes on under the new version; every other session of the account has ended.
            req.session.sessionVersion = changed.sessionVersion;
            return changed;
          },
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
