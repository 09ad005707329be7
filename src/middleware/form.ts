// Wraps a form POST handler: on a validation error, a failed sign-in or a conflict, the HTML client
// gets the same form again with the right status, field messages and the values it entered; a stale
// edit also gets the conflict table (views/partials/conflict.ejs). A refused action (choose, drop,
// archive) gets the page it was taken on again, the message at the top (views/partials/form-error.ejs)
// and beside what caused it (`refusal.at`: a row, a button). JSON clients get the error from the error
// middleware instead.
import type { Request, RequestHandler, Response } from 'express';
import { AppError, ConflictError, UnauthorizedError, ValidationError } from '../lib/errors';
import { pickValues } from '../lib/pick-values';
import { type ConflictField, conflictRows } from '../lib/conflict';
import { translateFields } from './error-handler';
import { wantsJson } from './respond';

export interface FormOptions {
  /** The page shown again; by who is asking, where one action is taken from different pages. */
  view: string | ((req: Request) => string);
  /** The only body fields echoed back into the form (never the whole body, never passwords). */
  keep: readonly string[];
  locals?: (req: Request, err: AppError) => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** Which refusals show the form again; by default a validation error, a failed sign-in or a conflict. */
  when?: (req: Request, err: AppError) => boolean;
  /** Where on the page the refusal belongs (a row, a button): the view shows the message there too. */
  at?: (req: Request, err: AppError) => string | undefined;
  /** The message in other words than the error's own (the JSON answer keeps that one). */
  message?: (req: Request, err: AppError) => string;
  /**
   * The fields a stale edit compares (typed against saved), given the form's locals; `current` turns the
   * saved record into form values where the form shows them otherwise (a wall time, a number).
   */
  conflict?: {
    fields: (req: Request, locals: Record<string, unknown>) => readonly ConflictField[];
    current?: (saved: Record<string, unknown>) => Record<string, unknown>;
  };
}

type Handler = (req: Request, res: Response) => Promise<void>;

const RENDERED_AGAIN = [ValidationError, UnauthorizedError, ConflictError];

export function form(options: FormOptions, handler: Handler): RequestHandler {
  return async (req, res) => {
    try {
      await handler(req, res);
    } catch (err) {
      const again =
        err instanceof AppError &&
        (options.when ? options.when(req, err) : RENDERED_AGAIN.some((type) => err instanceof type));
      if (!again || wantsJson(req)) throw err;
      const extra = options.locals ? await options.locals(req, err) : {};
      const values = pickValues(req.body, options.keep);
      const conflict =
        err.code === 'stale_version' ? (err.details.current as Record<string, unknown> | undefined) : undefined;
      const rows =
        conflict && options.conflict
          ? conflictRows(options.conflict.fields(req, extra), values, options.conflict.current?.(conflict) ?? conflict)
          : undefined;
      const formError = options.message ? options.message(req, err) : req.t(err.messageKey, err.messageParams);
      const at = options.at?.(req, err);
      const view = typeof options.view === 'string' ? options.view : options.view(req);
      res.status(err.status).render(view, {
        ...extra,
        values,
        errors: err instanceof ValidationError ? translateFields(err.fields, req.t) : {},
        formError,
        refusal: at === undefined ? undefined : { at, code: err.code, message: formError },
        conflict,
        conflictRows: rows,
      });
    }
  };
}
