// Password guesses are limited, counting wrong passwords only: never an attempt still being verified, never
// a refused (429) attempt, never a success. Sign-ins per account (tight) and per client address (loose,
// so a campus NAT of honest students is not locked out, while one address spraying many accounts is);
// password changes per signed-in account. rate-limiter-flexible's "login endpoint protection" pattern:
// read the counts before verifying, add one on a wrong password, clear the account's on a success.
import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { TooManyRequestsError } from '../lib/errors';

export type LimiterFactory = (options: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract;

/** In-process counts: the embedded default, one node. */
export const memoryLimiters: LimiterFactory = (options) => new RateLimiterMemory(options);

export interface GuessLimitOptions {
  /** Wrong passwords per account in a window. */
  maxFailures: number;
  /** Wrong passwords per client address in a window, over every account. */
  ipMaxFailures: number;
  windowMs: number;
}

// A typed name that matches no account (not the ASCII form of one): its guesses share one budget, which
// locks nobody out since no account can be reached through it.
const NO_ACCOUNT = '!no-account';

interface Budget {
  limiter: RateLimiterAbstract;
  points: number;
}

export class PasswordGuessLimits {
  private readonly byAccount: Budget;
  private readonly byAddress: Budget;
  private readonly byPasswordChange: Budget;

  constructor(options: GuessLimitOptions, makeLimiter: LimiterFactory) {
    const duration = Math.ceil(options.windowMs / 1000);
    const budget = (keyPrefix: string, points: number): Budget => ({
      limiter: makeLimiter({ keyPrefix, points, duration }),
      points,
    });
    this.byAccount = budget('login-user', options.maxFailures);
    this.byAddress = budget('login-ip', options.ipMaxFailures);
    this.byPasswordChange = budget('password-user', options.maxFailures);
  }

  /** Before verifying a sign-in: 429 while the account or the address has used its budget. */
  async assertSignInAllowed(address: string, name: string | undefined): Promise<void> {
    await Promise.all([check(this.byAccount, accountKey(name)), check(this.byAddress, address)]);
  }

  async signInFailed(address: string, name: string | undefined): Promise<void> {
    await Promise.all([this.byAccount.limiter.penalty(accountKey(name)), this.byAddress.limiter.penalty(address)]);
  }

  /** The account's count starts again; the address's stays (a guesser who knows one password gains nothing). */
  async signInSucceeded(name: string): Promise<void> {
    await this.byAccount.limiter.delete(accountKey(name));
  }

  assertPasswordChangeAllowed(userId: number): Promise<void> {
    return check(this.byPasswordChange, `user:${userId}`);
  }

  async passwordChangeFailed(userId: number): Promise<void> {
    await this.byPasswordChange.limiter.penalty(`user:${userId}`);
  }
}

// The name exactly as sign-in looks it up (auth.schemas.ts): one key per account, so no other spelling of
// a name ('ｓｔａｆｆ', 'staﬀ') gets a budget of its own.
const accountKey = (name: string | undefined) => name ?? NO_ACCOUNT;

async function check({ limiter, points }: Budget, key: string): Promise<void> {
  const used = await limiter.get(key);
  if (used && used.consumedPoints >= points)
    throw new TooManyRequestsError('auth.too_many_attempts', Math.max(1, Math.ceil(used.msBeforeNext / 1000)));
}
