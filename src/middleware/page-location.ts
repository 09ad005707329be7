// Where the page is, for the layout: the navigation's current link, and the language switcher's links,
// which keep the page and its filters (a search, a sort, a page number) and change only `lang`.
import type { RequestHandler } from 'express';

export function pageLocation(): RequestHandler {
  return (req, res, next) => {
    res.locals.currentPath = req.path;
    res.locals.languageHref = (lang: string): string => {
      // After a form post the page's URL names a write: switch on the home page rather than GET it.
      if (req.method !== 'GET' && req.method !== 'HEAD') return `/?lang=${encodeURIComponent(lang)}`;
      const url = new URL(req.originalUrl, 'http://page.invalid');
      url.searchParams.set('lang', lang);
      // One leading slash only: '//host' would be a link to another site.
      return `${url.pathname.replace(/^\/+/, '/')}${url.search}`;
    };
    next();
  };
}
