// Loads the signed-in user on each request and guards routes by role.
import type { Request, RequestHandler } from 'express';
import type { CurrentUser, Role } from '../users/users.types';
import { ForbiddenError, UnauthorizedError } from '../lib/errors';
import type { UsersRepository } from '../users/users.repository';
import { wantsJson } from './respond';

/** Longest page address kept for after sign-in; a longer one (no real page is) is dropped. */
export const MAX_RETURN_ADDRESS = 512;

/** A local path to go back to after sign-in, or undefined: never another host, never an unbounded string. */
export function returnAddress(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_RETURN_ADDRESS) return undefined;
  return /^\/(?!\/)[\x21-\x5b\x5d-\x7e]*$/.test(value) ? value : undefined;
}

/** Ends the request's session in the store and starts an empty one (stored only if something is put in it). */
export function endSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
}

/**
 * A session counts only while its account is active, its session version is the account's (a password
 * change, a reset or a deactivation raises it: every other session ends at once, on every node, since this
 * reads the database on each request) and its sign-in is younger than the absolute lifetime.
 */
export function loadUser(users: UsersRepository, options: { absoluteLifetimeMs: number }): RequestHandler {
  return async (req, res, next) => {
    const session = req.session;
    const userId = session?.userId;
    if (userId !== undefined) {
      const row = await users.findById(userId);
      // A session from a release before these fields: version 0, and its lifetime starts now.
      session.signedInAt ??= Date.now();
      const current =
        row !== undefined &&
        Boolean(row.active) &&
        Number(row.session_version) === (session.sessionVersion ?? 0) &&
        Date.now() - session.signedInAt < options.absoluteLifetimeMs;
      if (current) {
        req.user = {
          id: row.id,
          username: row.username,
          role: row.role,
          studentId: row.student_id,
          mustChangePassword: Boolean(row.must_change_password),
        };
      } else {
        await endSession(req);
      }
    }
    res.locals.user = req.user ?? null;
    next();
  };
}

const PASSWORD_CHANGE_PATHS = new Set(['/account/password', '/logout']);

/** A user whose password was reset must choose a new one before doing anything else. */
export function enforcePasswordChange(): RequestHandler {
  return (req, res, next) => {
    if (!req.user?.mustChangePassword || PASSWORD_CHANGE_PATHS.has(req.path)) return next();
    if (wantsJson(req)) return next(new ForbiddenError('auth.password_change_required', 'password_change_required'));
    res.redirect('/account/password');
  };
}

/** Where an anonymous visitor was going, for after sign-in: a short-lived cookie sent to /login only. */
export const RETURN_COOKIE = 'sis.next';
export const RETURN_COOKIE_OPTIONS = { path: '/login', httpOnly: true, sameSite: 'lax', maxAge: 15 * 60_000 } as const;

/**
 * The one authorisation helper: anonymous users go to /login (401 for JSON), other roles get 403. The page
 * they wanted is kept in a small cookie, never in a session: an anonymous visit stores nothing on the server.
 */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, res, next) => {
    if (!req.user) {
      if (wantsJson(req)) return next(new UnauthorizedError());
      const back = req.method === 'GET' ? returnAddress(req.originalUrl) : undefined;
      if (back) res.cookie(RETURN_COOKIE, back, RETURN_COOKIE_OPTIONS);
      return res.redirect('/login');
    }
    if (!roles.includes(req.user.role)) return next(new ForbiddenError());
    next();
  };
}

export function currentUser(req: Request): CurrentUser {
  if (!req.user) throw new UnauthorizedError();
  return req.user;
}
