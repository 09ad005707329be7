// Synchroniser-token CSRF protection (csrf-sync): the token lives in the session, forms send `_csrf`,
// JSON clients send the X-CSRF-Token header (the layout's <meta name="csrf-token">). Pages only ever
// carry it masked (csrf-mask.ts).
import type { RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
import { maskToken, unmaskToken } from './csrf-mask';

export function csrfProtection(): { protect: RequestHandler; exposeToken: RequestHandler } {
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => {
      const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
      if (typeof fromBody === 'string') return unmaskToken(fromBody);
      const header = req.headers['x-csrf-token'];
      return typeof header === 'string' ? unmaskToken(header) : undefined;
    },
    size: 32,
    errorConfig: { statusCode: 403, code: 'EBADCSRFTOKEN', message: 'invalid csrf token' },
  });
  return {
    protect: csrfSynchronisedProtection,
    // Lazy: a token (and so a session) is only made for pages that actually render a form or meta tag.
    exposeToken: (req, res, next) => {
      res.locals.csrfToken = () => maskToken(generateToken(req));
      // The layout's meta tag: a signed-in user (JSON writes) or a page whose form already made a token.
      // An anonymous visit to a page without a form (a 404, say) gets none, so it creates no session.
      res.locals.csrfMeta = () => (req.user || req.session?.csrfToken ? maskToken(generateToken(req)) : '');
      next();
    },
  };
}
