import type { Knex } from 'knex';
import type { ActorContext } from '../audit/audit-context';
import { inTransaction } from './transaction';

/**
 * The transaction of a user's write. When the request carries an idempotency key, the key is claimed
 * first (a twin request waits on its lock, then finds it taken) and the response is stored last, so
 * both commit or roll back with the write itself.
 */
export function inWriteTransaction<T>(
  db: Knex,
  ctx: ActorContext,
  work: (trx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  return inTransaction(db, async (trx) => {
    await ctx.idempotency?.claim(trx);
    const result = await work(trx);
    await ctx.idempotency?.complete(trx, result);
    return result;
  });
}
