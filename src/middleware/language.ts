// Picks the language: ?lang= (remembered in the session), then the session, then Accept-Language.
import type { Request, RequestHandler, Response } from 'express';
import { DEFAULT_TIME_ZONE, formatterFor, zoneInWords } from '../i18n/format';
import { asLanguage, DEFAULT_LANGUAGE, translator } from '../i18n/i18n';
import { namesFor } from '../i18n/names';

/** Sets req.t and the view's t/lang/fmt; works before the session exists too (early errors). */
export function applyLanguage(req: Request, res: Response): void {
  const fromQuery = asLanguage(req.query.lang);
  if (fromQuery && req.session && req.session.lang !== fromQuery) req.session.lang = fromQuery;
  // Without an Accept-Language header every language "matches"; fall back to the default then.
  const fromHeader = req.headers['accept-language']
    ? asLanguage(req.acceptsLanguages('zh-CN', 'zh', 'en') || undefined)
    : undefined;
  req.lang = fromQuery ?? req.session?.lang ?? fromHeader ?? DEFAULT_LANGUAGE;
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
