// The one place errors become responses: typed errors keep their status, the rest are 500s
// whose details are logged but never shown in production.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isConnectionError } from '../db/errors';
import { isRedisUnavailable } from '../redis';
import { AppError, NotFoundError, ServiceUnavailableError, ValidationError } from '../lib/errors';
import { applyLanguage } from './language';
import { wantsJson } from './respond';

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  type?: string;
  code?: string;
}

function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  const e = (err ?? {}) as HttpLikeError;
  if (e.code === 'EBADCSRFTOKEN') return new AppError(403, 'csrf_invalid', 'errors.csrf');
  if (e.type === 'entity.too.large') return new AppError(413, 'payload_too_large', 'errors.too_large');
  if (e.type === 'entity.parse.failed') return new AppError(400, 'invalid_json', 'errors.invalid_json');
  if (e.type === 'parameters.too.many') return new AppError(413, 'payload_too_large', 'errors.too_large');
  if (isConnectionError(err) || isRedisUnavailable(err)) return new ServiceUnavailableError();
  return undefined;
}

export function notFound(): RequestHandler {
  return (_req, _res, next) => next(new NotFoundError());
}

export function errorHandler(options: { showStack: boolean }): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const known = toAppError(err);
    const status = known?.status ?? 500;
    // A shed request is logged once, as a warning, where it is shed (load-shedding.ts).
    if (!known || (status >= 500 && known.code !== 'overloaded')) req.log?.error({ err }, 'request failed');
    const code = known?.code ?? 'internal_error';
    if (!req.t) applyLanguage(req, res); // failed before the language middleware (body parsing)
    const t = req.t;
    const message = t(known?.messageKey ?? 'errors.internal', known?.messageParams ?? {});
    const fields = known instanceof ValidationError ? translateFields(known.fields, t) : undefined;
    const requestId = String(req.id ?? '');
    const retryAfter = known?.retryAfterSeconds ?? (status === 503 ? 2 : undefined);
    if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));

    if (wantsJson(req)) {
      res.status(status).json({ error: { code, message, ...(fields && { fields }), ...known?.details, requestId } });
      return;
    }
    res.status(status).render('errors/error', {
      title: t(`errors.title.${status}`, { defaultValue: t('errors.title.generic') }),
      status,
      message,
      fields,
      requestId,
      // Not `instanceof Error`: driver errors may come from another realm (jest workers).
      stack: options.showStack && !known ? (err as { stack?: unknown })?.stack : undefined,
    });
  };
}

export function translateFields(fields: Record<string, string>, t: (key: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([name, key]) => [name, t(key)]));
}
