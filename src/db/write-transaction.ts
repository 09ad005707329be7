// The transaction of a user's write, and the idempotency hooks it runs: the write transaction owns
// them, so a keyed write is safe to retry exactly when it goes through here.
import type { Knex } from 'knex';
import { inTransaction, type RetryOptions } from './transaction';

/**
 * Steps run inside a write's own transaction: first `claim`, and `complete` with the result. A write of
 * many transactions claims in one of its own and `release`s the claim when it fails. Built by
 * idempotency/idempotent-write.ts for a request that carries a key.
 */
export interface WriteHooks {
  claim: (trx: Knex) => Promise<void>;
  complete: (trx: Knex, result: unknown) => Promise<void>;
  release: (trx: Knex) => Promise<void>;
}

/** What a write needs to know of its caller here: the key's hooks, when the request carries one. */
export interface KeyedWrite {
  idempotency?: WriteHooks;
}

/**
 * The transaction of a user's write. When the request carries an idempotency key, the key is claimed
 * first (a twin request waits on its lock, then finds it taken) and the response is stored last, so
 * both commit or roll back with the write itself. A retried attempt (a deadlock, or `retryOn`) claims again.
 */
export function inWriteTransaction<T>(
  db: Knex,
  ctx: KeyedWrite,
  work: (trx: Knex.Transaction) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  return inTransaction(
    db,
    async (trx) => {
      await ctx.idempotency?.claim(trx);
      const result = await work(trx);
      await ctx.idempotency?.complete(trx, result);
      return result;
    },
    options,
  );
}

/**
 * A user's write made of many transactions (a class enrolment: one per student). The idempotency key is
 * claimed and committed before the first step, so a twin request finds it taken and answers "in
 * progress" instead of doing the steps again; the response is stored after the last step. `work` gets
 * the context without the key, for its own transactions. A failure releases the claim, so a retry with
 * the same key runs again (each step stands on its own).
 */
export async function inStepwiseWrite<C extends KeyedWrite, T>(
  db: Knex,
  ctx: C,
  work: (each: C) => Promise<T>,
): Promise<T> {
  const hooks = ctx.idempotency;
  const each: C = { ...ctx, idempotency: undefined };
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
