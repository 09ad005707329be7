// Picks the language: ?lang=, then the signed-in session's choice, then the language cookie, then
// Accept-Language. A choice made with ?lang= sticks: in the session when signed in, and in a small cookie
// (so that an anonymous visitor keeps it too without a session being made for them).
import type { Request, RequestHandler, Response } from 'express';
import { DEFAULT_TIME_ZONE, formatterFor, zoneInWords } from '../i18n/format';
import { asLanguage, DEFAULT_LANGUAGE, translator } from '../i18n/i18n';
import { namesFor } from '../i18n/names';

/** Sets req.t and the view's t/lang/fmt; works before the session exists too (early errors). */
export const LANGUAGE_COOKIE = 'sis.lang';
const YEAR_MS = 365 * 24 * 3_600_000;

export function applyLanguage(req: Request, res: Response): void {
  const fromQuery = asLanguage(req.query.lang);
  const fromCookie = asLanguage((req.cookies as Record<string, unknown> | undefined)?.[LANGUAGE_COOKIE]);
  if (fromQuery) {
    if (req.session?.userId !== undefined && req.session.lang !== fromQuery) req.session.lang = fromQuery;
    if (fromCookie !== fromQuery && !res.headersSent) {
      res.cookie(LANGUAGE_COOKIE, fromQuery, { maxAge: YEAR_MS, httpOnly: true, sameSite: 'lax', path: '/' });
    }
  }
  // Without an Accept-Language header every language "matches"; fall back to the default then.
  const fromHeader = req.headers['accept-language']
    ? asLanguage(req.acceptsLanguages('zh-CN', 'zh', 'en') || undefined)
    : undefined;
  req.lang = fromQuery ?? req.session?.lang ?? fromCookie ?? fromHeader ?? DEFAULT_LANGUAGE;
  req.t = translator(req.lang);
  res.locals.lang = req.lang;
  res.locals.t = req.t;
  // Catalogue names (courses, schools, majors, terms) in the page language: nameOf(name, name_en), termName(term).
  Object.assign(res.locals, namesFor(req.lang));
  // Dates and numbers for this language, in the zone createApp put in app.locals (config TIME_ZONE).
  const timeZone = (req.app?.locals.timeZone as string | undefined) ?? DEFAULT_TIME_ZONE;
  res.locals.fmt = formatterFor(req.lang, timeZone);
  res.locals.zoneName = zoneInWords(timeZone, req.t);
}

export function language(): RequestHandler {
  return (req, res, next) => {
    applyLanguage(req, res);
    next();
  };
}
