// Renders every page inside views/layout.ejs: the page is rendered first, then placed in the layout.
// A page names itself with `<% setTitle(...) %>`; the title travels to the layout in this render's own
// holder. (An assignment such as `<% title = ... %>` inside ejs's `with (locals)` would create a global
// shared by every request: a page without a title showed the previous page's.)
import type { RequestHandler } from 'express';

export function layout(layoutView = 'layout'): RequestHandler {
  return (_req, res, next) => {
    const render = res.render.bind(res);
    res.render = ((view: string, options?: object, callback?: (err: Error, html: string) => void) => {
      if (typeof callback === 'function') return render(view, options ?? {}, callback);
      const given = (options ?? {}) as { title?: unknown };
      let title = typeof given.title === 'string' ? given.title : undefined;
      const setTitle = (value: unknown) => {
        title = value === undefined || value === null ? undefined : String(value);
        return '';
      };
      render(view, { ...given, setTitle }, (err: Error | null, body: string) => {
        if (err) return next(err);
        render(layoutView, { ...given, title, body });
      });
    }) as typeof res.render;
    next();
  };
}
