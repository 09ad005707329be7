// Where the page is, for the layout: the side navigation with its current link and the breadcrumbs (worked
// out when the layout asks, once the user and the language are known), and the language switcher's links,
// which keep the page and its filters (a search, a sort, a page number) and change only `lang`.
import type { RequestHandler } from 'express';
import { navigationFor } from '../navigation/navigation';
import type { Role } from '../users/users.types';

export function pageLocation(): RequestHandler {
  return (req, res, next) => {
    // Read now: inside a router mounted at /students, req.path is the rest of the path only.
    const path = req.path;
    res.locals.currentPath = path;
    res.locals.navigation = () =>
      navigationFor((res.locals.user as { role: Role } | null)?.role, path, res.locals.t as (k: string) => string);
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
