// Typed errors thrown by services; the error middleware maps them to a status and a page or JSON.
// `messageKey` is a locale key (src/i18n/locales), so services never hold user-facing text.

export type FieldErrors = Record<string, string>;

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messageKey: string,
    /** Extra facts for API clients, sent in the JSON error beside code and message. */
    readonly details: Record<string, unknown> = {},
    /** Interpolation values for the message, e.g. the clashing course's name. */
    readonly messageParams: Record<string, string> = {},
  ) {
    super(code);
    this.name = new.target.name;
  }

  /** Seconds for the Retry-After header (429, 503), when the error knows better than the default. */
  retryAfterSeconds?: number;
}

export class NotFoundError extends AppError {
  constructor(messageKey = 'errors.not_found') {
    super(404, 'not_found', messageKey);
  }
}

export class UnauthorizedError extends AppError {
  constructor(messageKey = 'errors.unauthorized') {
    super(401, 'unauthorized', messageKey);
  }
}

export class ForbiddenError extends AppError {
  constructor(messageKey = 'errors.forbidden', code = 'forbidden') {
    super(403, code, messageKey);
  }
}

/** Field-level problems with a submission; `fields` maps a field name to a locale key. */
export class ValidationError extends AppError {
  constructor(readonly fields: FieldErrors) {
    super(422, 'validation_failed', 'errors.validation');
  }
}

export class ConflictError extends AppError {
  constructor(messageKey: string, code = 'conflict', details: Record<string, unknown> = {}) {
    super(409, code, messageKey, details);
  }
}

/** An edit based on an old `version`: carries the current row so the user can see what changed. */
export class StaleVersionError extends ConflictError {
  constructor(readonly current: Record<string, unknown>) {
    super('errors.stale_version', 'stale_version', { current });
  }
}

export class TooManyRequestsError extends AppError {
  constructor(messageKey = 'errors.too_many_requests', retryAfterSeconds?: number) {
    super(429, 'too_many_requests', messageKey);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(
    messageKey = 'errors.unavailable',
    retryAfterSeconds?: number,
    code = 'service_unavailable',
    details: Record<string, unknown> = {},
  ) {
    super(503, code, messageKey, details);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
