import type { Request } from 'express';
import type { Knex } from 'knex';
import { clientRequestId } from '../middleware/request-context';

/**
 * Steps run inside a write's own transaction: first `claim`, and `complete` with the result. A write of
 * many transactions claims in one of its own and `release`s the claim when it fails.
 */
export interface WriteHooks {
  claim: (trx: Knex) => Promise<void>;
  complete: (trx: Knex, result: unknown) => Promise<void>;
  release: (trx: Knex) => Promise<void>;
}

/** Who is acting and under which request: carried into every audit row. */
export interface ActorContext {
  actorId: number | null;
  actorUsername: string | null;
  requestId: string | null;
  /** The id the caller sent for its own tracing, kept apart from the server's `requestId`. */
  clientRequestId?: string | null;
  /** Set for a write that carries an idempotency key; see db/write-transaction.ts. */
  idempotency?: WriteHooks;
}

export function actorContext(req: Request): ActorContext {
  return {
    actorId: req.user?.id ?? null,
    actorUsername: req.user?.username ?? null,
    requestId: req.id === undefined ? null : String(req.id),
    clientRequestId: clientRequestId(req),
  };
}
