// Wraps a form POST handler: on a validation error, a failed sign-in or a conflict, the HTML client
// gets the same form again with the right status, field messages and the values it entered; a stale
// edit also gets the conflict table (views/partials/conflict.ejs). JSON clients get the error from the
// error middleware instead.
import type { Request, RequestHandler, Response } from 'express';
import { AppError, ConflictError, UnauthorizedError, ValidationError } from '../lib/errors';
import { pickValues } from '../lib/pick-values';
import { type ConflictField, conflictRows } from '../lib/conflict';
import { translateFields } from './error-handler';
import { wantsJson } from './respond';

export interface FormOptions {
  view: string;
  /** The only body fields echoed back into the form (never the whole body, never passwords). */
  keep: readonly string[];
  locals?: (req: Request, err: AppError) => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** Which refusals show the form again; by default a validation error, a failed sign-in or a conflict. */
  when?: (req: Request, err: AppError) => boolean;
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
      res.status(err.status).render(options.view, {
        ...extra,
        values,
        errors: err instanceof ValidationError ? translateFields(err.fields, req.t) : {},
        formError: req.t(err.messageKey, err.messageParams),
        conflict,
        conflictRows: rows,
      });
    }
  };
}
