// Loads the signed-in user on each request and guards routes by role.
import type { Request, RequestHandler } from 'express';
import type { CurrentUser, Role } from '../auth/auth.types';
import { ForbiddenError, UnauthorizedError } from '../lib/errors';
import type { UsersRepository } from '../users/users.repository';
import { wantsJson } from './respond';

export function loadUser(users: UsersRepository): RequestHandler {
  return async (req, res, next) => {
    const userId = req.session?.userId;
    if (userId !== undefined) {
      const row = await users.findById(userId);
      if (row && row.active) {
        req.user = {
          id: row.id,
          username: row.username,
          role: row.role,
          studentId: row.student_id,
          mustChangePassword: Boolean(row.must_change_password),
        };
      } else {
        // Deactivated or deleted since sign-in: the session no longer counts.
        delete req.session.userId;
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

/** The one authorisation helper: anonymous users go to /login (401 for JSON), other roles get 403. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, res, next) => {
    if (!req.user) {
      if (wantsJson(req)) return next(new UnauthorizedError());
      if (req.method === 'GET' && req.session) req.session.returnTo = req.originalUrl;
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
