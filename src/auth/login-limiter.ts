// Password guesses are limited: failed sign-ins per client IP and per account, and failed password changes
// per account (guesses of the current password). Successes do not count.
import type { Request, RequestHandler } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { TooManyRequestsError } from '../lib/errors';
import { signInName } from './auth.schemas';

export interface LoginLimiterOptions {
  maxFailures: number;
  windowMs: number;
  /** Shared store (Redis) in a cluster; in-process memory when absent. */
  makeStore?: (prefix: string) => Store;
}

export interface PasswordLimiters {
  /** Before POST /login: per IP, then per account. */
  login: RequestHandler[];
  /** Before POST /account/password: per signed-in account. */
  passwordChange: RequestHandler;
}

// A typed name that matches no account (not the ASCII form of one): its guesses share one budget, which
// locks nobody out since no account can be reached through it.
const NO_ACCOUNT = '!no-account';

export function loginLimiters(options: LoginLimiterOptions): PasswordLimiters {
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
  const byAccount = rateLimit({
    ...common,
    limit: options.maxFailures,
    // The name exactly as sign-in looks it up (auth.schemas.ts): one key per account, so no other
    // spelling of a name ('ｓｔａｆｆ', 'staﬀ') gets a budget of its own.
    keyGenerator: (req) => signInName((req.body as Record<string, unknown> | undefined)?.username) ?? NO_ACCOUNT,
    store: options.makeStore?.('login-user:'),
  });
  const passwordChange = rateLimit({
    ...common,
    limit: options.maxFailures,
    // After requireRole: the signed-in account.
    keyGenerator: (req: Request) => `user:${req.user?.id ?? 0}`,
    store: options.makeStore?.('password-user:'),
  });
  return { login: [byIp, byAccount], passwordChange };
}
