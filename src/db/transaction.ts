import type { Knex } from 'knex';
import { isRetryableTransactionError } from './errors';

const MAX_ATTEMPTS = 4;

/**
 * Runs work in one transaction; a deadlock or lock timeout rolls back and retries the whole of it,
 * a bounded number of times, with a short jittered pause so the competitors do not collide again.
 */
export async function inTransaction<T>(db: Knex, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS || !isRetryableTransactionError(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20));
    }
  }
}
