import type { Request } from 'express';

/** JSON when the client asks for it with Accept: application/json; HTML otherwise. */
export function wantsJson(req: Request): boolean {
  return req.accepts(['html', 'json']) === 'json';
}
