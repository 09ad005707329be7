// Request id and node identity: every response says which node served it and under which id.
//
// The request id is always the server's own: nginx's $request_id (sent as X-Request-Id, taken only from
// a trusted proxy) or, without one, an id this node makes. A caller's own X-Request-Id never becomes the
// request id (it would let a caller forge the id that logs and audit rows are traced by); it is kept
// apart as the client request id (logs, audit_log.client_request_id). Behind nginx the caller's id
// arrives as X-Client-Request-Id (see nginx/sis.conf.template); a direct caller's X-Request-Id is theirs.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

// 64 is the width of audit_log.request_id and client_request_id; nginx's $request_id is 32 hex characters.
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Express's compiled `trust proxy` setting: whether the peer at `addr` is one of our proxies. */
export type TrustProxy = (addr: string, hop: number) => boolean;

const sane = (value: string | string[] | undefined): string | undefined =>
  typeof value === 'string' && SAFE_REQUEST_ID.test(value) ? value : undefined;

/** The caller's own request id, when it sent one; null otherwise (set by requestIdGenerator). */
export function clientRequestId(req: IncomingMessage): string | null {
  return (req as { clientRequestId?: string }).clientRequestId ?? null;
}

/** pino-http's genReqId: the proxy's id or a new one as the request id, the caller's kept apart; echo ids. */
export function requestIdGenerator(nodeId: string, trustProxy: TrustProxy) {
  return (req: IncomingMessage, res: ServerResponse): string => {
    const fromProxy = trustProxy(req.socket.remoteAddress ?? '', 0);
    const id = (fromProxy && sane(req.headers['x-request-id'])) || randomUUID();
    const client = fromProxy ? sane(req.headers['x-client-request-id']) : sane(req.headers['x-request-id']);
    if (client !== undefined) (req as { clientRequestId?: string }).clientRequestId = client;
    res.setHeader('X-Request-Id', id);
    res.setHeader('X-Served-By', nodeId);
    return id;
  };
}
