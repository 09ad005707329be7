// Wraps a form POST handler: on a validation error, a failed sign-in or a conflict, the HTML client
// gets the same form again with the right status, field messages and the values it entered.
// JSON clients get the error from the error middleware instead.
import type { Request, RequestHandler, Response } from 'express';
import { translateFields } from '../middleware/error-handler';
import { wantsJson } from '../middleware/respond';
import { AppError, ConflictError, UnauthorizedError, ValidationError } from './errors';

export interface FormOptions {
  view: string;
  /** The only body fields echoed back into the form (never the whole body, never passwords). */
  keep: readonly string[];
  locals?: (req: Request, err: AppError) => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** Which refusals show the form again; by default a validation error, a failed sign-in or a conflict. */
  when?: (req: Request, err: AppError) => boolean;
}

type Handler = (req: Request, res: Response) => Promise<void>;

const RENDERED_AGAIN = [ValidationError, UnauthorizedError, ConflictError];

export function pickValues(body: unknown, keep: readonly string[]): Record<string, string> {
  const source = (body ?? {}) as Record<string, unknown>;
  const values: Record<string, string> = {};
  for (const name of keep) {
    const value = source[name];
    if (typeof value === 'string' || typeof value === 'number') values[name] = String(value);
  }
  return values;
}

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
      res.status(err.status).render(options.view, {
        ...extra,
        values: pickValues(req.body, options.keep),
        errors: err instanceof ValidationError ? translateFields(err.fields, req.t) : {},
        formError: req.t(err.messageKey, err.messageParams),
        conflict: err.code === 'stale_version' ? err.details.current : undefined,
      });
    }
  };
}
