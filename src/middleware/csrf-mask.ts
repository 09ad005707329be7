// BREACH defence for the CSRF token: a compressed HTTPS page that reflects user input next to a secret
// leaks the secret byte by byte. So the session's token never appears as is: each rendering carries
// `pad ‖ (pad XOR token)` with a fresh random pad, and the value a form or header sends is unmasked
// before csrf-sync compares it with the session's token.
import crypto from 'node:crypto';

// Marks a masked value ('.' is in neither base64url nor the hex of csrf-sync's tokens).
const PREFIX = 'm.';

// Pads come from a pool of random bytes drawn 4 KiB at a time (one draw for about 60 forms instead of
// one per form). Each byte of the pool is used for one pad only and the pool is never written again once
// handed out, so every pad is as unpredictable as a draw of its own.
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let used = 0;

function randomPad(length: number): Buffer {
  if (length > POOL_SIZE) return crypto.randomBytes(length);
  if (used + length > pool.length) {
    pool = crypto.randomFillSync(Buffer.allocUnsafe(POOL_SIZE));
    used = 0;
  }
  const pad = pool.subarray(used, used + length);
  used += length;
  return pad;
}

export function maskToken(token: string): string {
  const secret = Buffer.from(token, 'utf8');
  const n = secret.length;
  const pad = randomPad(n);
  const out = Buffer.allocUnsafe(2 * n);
  for (let i = 0; i < n; i++) {
    out[i] = pad[i]!;
    out[n + i] = pad[i]! ^ secret[i]!;
  }
  return PREFIX + out.toString('base64url');
}

/**
 * The token a masked value stands for. A value that is not a masked token is returned as it came: a page
 * rendered by a node of the previous release (a rolling deploy) still carries the bare token, and any
 * other value simply fails csrf-sync's comparison.
 */
export function unmaskToken(value: string): string {
  const encoded = value.slice(PREFIX.length);
  if (!value.startsWith(PREFIX) || !/^[A-Za-z0-9_-]+$/.test(encoded)) return value;
  const bytes = Buffer.from(encoded, 'base64url');
  if (bytes.length === 0 || bytes.length % 2 !== 0 || bytes.toString('base64url') !== encoded) return value;
  const half = bytes.length / 2;
  const secret = Buffer.alloc(half);
  for (let i = 0; i < half; i++) secret[i] = bytes[i]! ^ bytes[half + i]!;
  return secret.toString('utf8');
}
