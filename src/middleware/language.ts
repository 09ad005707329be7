// Picks the language: ?lang= (remembered in the session), then the session, then Accept-Language.
import type { RequestHandler } from 'express';
import { asLanguage, DEFAULT_LANGUAGE, translator } from '../i18n/i18n';

export function language(): RequestHandler {
  return (req, res, next) => {
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
    next();
  };
}
