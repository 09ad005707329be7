// BREACH defence for the CSRF token: a compressed HTTPS page that reflects user input next to a secret
// leaks the secret byte by byte. So the session's token never appears as is: each rendering carries
// `pad ‖ (pad XOR token)` with a fresh random pad, and the value a form or header sends is unmasked
// before csrf-sync compares it with the session's token.
import crypto from 'node:crypto';

// Marks a masked value ('.' is in neither base64url nor the hex of csrf-sync's tokens).
const PREFIX = 'm.';

export function maskToken(token: string): string {
  const secret = Buffer.from(token, 'utf8');
  const pad = crypto.randomBytes(secret.length);
  const masked = Buffer.alloc(secret.length);
  for (let i = 0; i < secret.length; i++) masked[i] = pad[i]! ^ secret[i]!;
  return PREFIX + Buffer.concat([pad, masked]).toString('base64url');
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
