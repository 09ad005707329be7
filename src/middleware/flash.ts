// One-shot messages kept in the session across a redirect; the text comes from the locale files.
import type { Request, RequestHandler } from 'express';

type FlashType = 'success' | 'error' | 'info';

export function flash(req: Request, type: FlashType, key: string, params?: Record<string, string>): void {
  if (!req.session) return;
  req.session.flash = [...(req.session.flash ?? []), { type, key, params }];
}

export function flashMessages(): RequestHandler {
  return (req, res, next) => {
    const pending = req.session?.flash ?? [];
    if (pending.length > 0 && req.accepts(['html', 'json']) === 'html') delete req.session.flash;
    res.locals.flash = pending.map((f) => ({ type: f.type, text: req.t(f.key, f.params ?? {}) }));
    next();
  };
}
