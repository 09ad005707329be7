import type { Request } from 'express';

/** Who is acting and under which request: carried into every audit row. */
export interface ActorContext {
  actorId: number | null;
  actorUsername: string | null;
  requestId: string | null;
}

export function actorContext(req: Request): ActorContext {
  return {
    actorId: req.user?.id ?? null,
    actorUsername: req.user?.username ?? null,
    requestId: req.id === undefined ? null : String(req.id),
  };
}
