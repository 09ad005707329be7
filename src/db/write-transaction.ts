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

/**
 * A user's write made of many transactions (a class enrolment: one per student). The idempotency key is
 * claimed and committed before the first step, so a twin request finds it taken and answers "in
 * progress" instead of doing the steps again; the response is stored after the last step. `work` gets
 * the context without the key, for its own transactions. A failure releases the claim, so a retry with
 * the same key runs again (each step stands on its own).
 */
export async function inStepwiseWrite<T>(
  db: Knex,
  ctx: ActorContext,
  work: (each: ActorContext) => Promise<T>,
): Promise<T> {
  const hooks = ctx.idempotency;
  const each: ActorContext = { ...ctx, idempotency: undefined };
  if (!hooks) return work(each);
  await inTransaction(db, (trx) => hooks.claim(trx));
  let result: T;
  try {
    result = await work(each);
  } catch (err) {
    await inTransaction(db, (trx) => hooks.release(trx));
    throw err;
  }
  await inTransaction(db, (trx) => hooks.complete(trx, result));
  return result;
}
