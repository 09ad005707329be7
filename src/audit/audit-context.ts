import type { Request } from 'express';
import type { WriteHooks } from '../db/write-transaction';
import { clientRequestId } from '../middleware/request-context';

/** Who is acting and under which request: carried into every audit row. */
export interface ActorContext {
  actorId: number | null;
  actorUsername: string | null;
  requestId: string | null;
  /** The id the caller sent for its own tracing, kept apart from the server's `requestId`. */
  clientRequestId?: string | null;
  /** Set for a write that carries an idempotency key (idempotency/idempotent-write.ts builds it). */
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
