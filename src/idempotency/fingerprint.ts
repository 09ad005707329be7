// What identifies a request for its idempotency key: method, path and body, so the same key with a
// different request is refused. Stored for 24 hours, so it must not give away what was sent: it is an
// HMAC under a key derived from the session secret (never a plain hash someone could test guesses
// against), and secret fields (passwords, the CSRF token) are left out of it altogether.
import { createHmac } from 'node:crypto';
import { MAX_BODY_DEPTH } from '../lib/body-depth';
import { ValidationError } from '../lib/errors';

/** Fields that never enter a fingerprint: per-request tokens, and anything that names a password. */
const isLeftOut = (name: string) => name === '_csrf' || name === '_idem' || /password/i.test(name);

/** A stable text of a body: keys sorted at every level, secret fields dropped, depth bounded. */
export function canonicalBody(value: unknown, depth = 0): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (depth >= MAX_BODY_DEPTH) throw new ValidationError({ _form: 'validation.too_deep' });
  if (Array.isArray(value)) return `[${value.map((item) => canonicalBody(item, depth + 1)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([name, item]) => !isLeftOut(name) && item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, item]) => `${JSON.stringify(name)}:${canonicalBody(item, depth + 1)}`);
  return `{${entries.join(',')}}`;
}

/** A separate key for fingerprints, so the session secret itself is never used for two purposes. */
export function fingerprintKey(sessionSecret: string): Buffer {
  return createHmac('sha256', sessionSecret).update('idempotency-fingerprint').digest();
}

export function fingerprint(key: Buffer, method: string, path: string, body: unknown): string {
  return createHmac('sha256', key)
    .update(`${method} ${path}\n${canonicalBody(body ?? {})}`)
    .digest('hex');
}
