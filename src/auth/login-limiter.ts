// Failed sign-ins are limited per client IP and per username; successes do not count.
import type { RequestHandler } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { TooManyRequestsError } from '../lib/errors';

export interface LoginLimiterOptions {
  maxFailures: number;
  windowMs: number;
  /** Shared store (Redis) in a cluster; in-process memory when absent. */
  makeStore?: (prefix: string) => Store;
}

export function loginLimiters(options: LoginLimiterOptions): RequestHandler[] {
  const common = {
    windowMs: options.windowMs,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-7' as const,
    legacyHeaders: false,
    handler: (_req: unknown, _res: unknown, next: (err: unknown) => void) =>
      next(new TooManyRequestsError('auth.too_many_attempts')),
  };
  const byIp = rateLimit({
    ...common,
    // Per IP allows several users behind one campus NAT to mistype without locking each other out.
    limit: options.maxFailures * 5,
    store: options.makeStore?.('login-ip:'),
  });
  const byUsername = rateLimit({
    ...common,
    limit: options.maxFailures,
    keyGenerator: (req) => {
      const username = (req.body as Record<string, unknown> | undefined)?.username;
      return typeof username === 'string' ? username.trim().toLowerCase().slice(0, 64) : '';
    },
    store: options.makeStore?.('login-user:'),
  });
  return [byIp, byUsername];
}
