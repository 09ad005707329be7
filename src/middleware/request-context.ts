// Request id and node identity: every response says which node served it and under which id.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

// 64 is the width of audit_log.request_id; nginx's $request_id is 32 hex characters.
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** pino-http's genReqId: reuse nginx's X-Request-Id when it is sane, else make one; echo both headers. */
export function requestIdGenerator(nodeId: string) {
  return (req: IncomingMessage, res: ServerResponse): string => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', id);
    res.setHeader('X-Served-By', nodeId);
    return id;
  };
}
