import type { Knex } from 'knex';
import { isRetryableTransactionError } from './errors';

const MAX_ATTEMPTS = 4;

export interface RetryOptions {
  /** Another error that means "run the whole transaction again" (a unique key a racing twin just took). */
  retryOn?: (err: unknown) => boolean;
}

/**
 * Runs work in one transaction; a deadlock or lock timeout (or `retryOn`) rolls back and retries the
 * whole of it, a bounded number of times, with a short jittered pause so the competitors do not collide again.
 */
export async function inTransaction<T>(
  db: Knex,
  work: (trx: Knex.Transaction) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (err) {
      const retryable = isRetryableTransactionError(err) || options.retryOn?.(err) === true;
      if (attempt >= MAX_ATTEMPTS || !retryable) throw err;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20));
    }
  }
}
