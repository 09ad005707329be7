// Renders every page inside views/layout.ejs: the page is rendered first, then placed in the layout.
import type { RequestHandler } from 'express';

export function layout(layoutView = 'layout'): RequestHandler {
  return (_req, res, next) => {
    const render = res.render.bind(res);
    res.render = ((view: string, options?: object, callback?: (err: Error, html: string) => void) => {
      if (typeof callback === 'function') return render(view, options ?? {}, callback);
      render(view, options ?? {}, (err: Error | null, body: string) => {
        if (err) return next(err);
        render(layoutView, { ...options, body });
      });
    }) as typeof res.render;
    next();
  };
}
