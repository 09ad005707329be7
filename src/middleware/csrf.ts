// CSRF protection, two ways, both masked on the page (csrf-mask.ts):
// - signed in: synchroniser tokens (csrf-sync), the token lives in the session;
// - anonymous (the sign-in form): a signed double-submit cookie (csrf-csrf), so that an anonymous visit
//   creates no session at all. A POST from a signed-in session never passes on the cookie alone.
// Forms send `_csrf`; JSON clients send the X-CSRF-Token header (the layout's <meta name="csrf-token">).
import { createHmac } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { doubleCsrf } from 'csrf-csrf';
import { csrfSync } from 'csrf-sync';
import { maskToken, unmaskToken } from './csrf-mask';

export const LOGIN_CSRF_COOKIE = 'sis.csrf';

const ERROR = { statusCode: 403, code: 'EBADCSRFTOKEN', message: 'invalid csrf token' };
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function tokenFromRequest(req: Request): string | undefined {
  const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
  if (typeof fromBody === 'string') return unmaskToken(fromBody);
  const header = req.headers['x-csrf-token'];
  return typeof header === 'string' ? unmaskToken(header) : undefined;
}

// The synchroniser token is random and kept in the session: nothing of it depends on the app's secrets.
const sync = csrfSync({ getTokenFromRequest: tokenFromRequest, size: 32, errorConfig: ERROR });

/**
 * Gives a session that was just signed in its token at once. Made lazily by the first page instead, it
 * would be written by a GET: when nginx retries a slow first page on another node, both nodes write a
 * different token and the slower save wins, so the token the browser holds is refused on its next POST.
 */
export function issueSessionCsrfToken(req: Request): void {
  sync.generateToken(req, true);
}

/** Whether the request already has a synchroniser token to use: a signed-in session, or an older page's. */
function hasSessionToken(req: Request): boolean {
  return Boolean(req.user || req.session?.csrfToken);
}

/** `secrets`: the session secrets (rotation: the first signs, all verify); the cookie's key is derived from them. */
export function csrfProtection(secrets: readonly string[]): { protect: RequestHandler; exposeToken: RequestHandler } {
  const cookieKeys = secrets.map((s) => createHmac('sha256', s).update('sis anonymous csrf').digest('hex'));
  const anonymous = doubleCsrf({
    getSecret: () => cookieKeys,
    // Nothing identifies an anonymous visitor; the cookie's random half and its signature are the token.
    getSessionIdentifier: () => '',
    cookieName: LOGIN_CSRF_COOKIE,
    cookieOptions: { sameSite: 'lax', path: '/', httpOnly: true, secure: false },
    size: 32,
    getCsrfTokenFromRequest: tokenFromRequest,
    errorConfig: ERROR,
  });

  return {
    protect: (req, _res, next) => {
      if (SAFE_METHODS.has(req.method) || sync.isRequestValid(req)) return next();
      if (!req.user && anonymous.validateRequest(req)) return next();
      next(sync.invalidCsrfTokenError);
    },
    // Lazy: a token (a session's or the cookie) is made only for pages that render a form or meta tag.
    exposeToken: (req, res, next) => {
      let anonymousToken: string | undefined;
      const token = () => {
        if (hasSessionToken(req)) return sync.generateToken(req);
        anonymousToken ??= anonymous.generateCsrfToken(req, res, { cookieOptions: { secure: req.secure } });
        return anonymousToken;
      };
      res.locals.csrfToken = () => maskToken(token());
      // The layout's meta tag: a signed-in user (JSON writes) or a page whose form already made a token.
      // An anonymous visit to a page without a form (a 404, say) gets none, and so no cookie either.
      res.locals.csrfMeta = () => (hasSessionToken(req) || anonymousToken ? maskToken(token()) : '');
      next();
    },
  };
}
