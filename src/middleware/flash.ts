// One-shot messages kept in the session across a redirect; the text comes from the locale files.
// A message may carry lines (one per student a class enrolment refused), which the page it leads to
// lists where they belong; the layout shows the message itself.
import type { Request, RequestHandler } from 'express';
import type { SessionData } from 'express-session';

type FlashType = 'success' | 'error' | 'info';

/** One line of a message: its text, and optionally a reason put into it as `{{reason}}` (a text of its own). */
export type FlashLine = NonNullable<NonNullable<SessionData['flash']>[number]['lines']>[number];

export function flash(
  req: Request,
  type: FlashType,
  key: string,
  params?: Record<string, string>,
  lines?: FlashLine[],
): void {
  if (!req.session) return;
  req.session.flash = [...(req.session.flash ?? []), { type, key, params, ...(lines?.length && { lines }) }];
}

export function flashMessages(): RequestHandler {
  return (req, res, next) => {
    const pending = req.session?.flash ?? [];
    if (pending.length > 0 && req.accepts(['html', 'json']) === 'html') delete req.session.flash;
    const line = ({ key, params, reason }: FlashLine) =>
      req.t(key, { ...params, ...(reason && { reason: req.t(reason.key, reason.params ?? {}) }) });
    res.locals.flash = pending.map((f) => ({
      type: f.type,
      text: req.t(f.key, f.params ?? {}),
      ...(f.lines && { lines: f.lines.map(line) }),
    }));
    next();
  };
}
