// A fingerprint tells requests apart without keeping what they said: an HMAC, secret fields left out.
import { createHash } from 'node:crypto';
import { nestsDeeperThan } from '../../../src/lib/body-depth';
import { ValidationError } from '../../../src/lib/errors';
import { canonicalBody, fingerprint, fingerprintKey } from '../../../src/idempotency/fingerprint';

const key = fingerprintKey('a-session-secret-of-some-length');

describe('idempotency fingerprints', () => {
  it('ignore key order at every level, and tell different bodies apart', () => {
    const a = fingerprint(key, 'POST', '/sections', { b: 1, a: { y: [1, { q: 1, p: 2 }], x: 'x' } });
    const b = fingerprint(key, 'POST', '/sections', { a: { x: 'x', y: [1, { p: 2, q: 1 }] }, b: 1 });
    expect(a).toBe(b);
    expect(fingerprint(key, 'POST', '/sections', { a: 1 })).not.toBe(fingerprint(key, 'POST', '/sections', { a: 2 }));
    expect(fingerprint(key, 'POST', '/a', {})).not.toBe(fingerprint(key, 'POST', '/b', {}));
  });

  it('leave password fields and the per-request tokens out', () => {
    const bare = fingerprint(key, 'POST', '/account/password', {});
    const full = {
      current_password: 'old-secret-1',
      new_password: 'new-secret-2',
      confirm_password: 'new-secret-2',
      _csrf: 'token',
      _idem: 'key',
    };
    expect(fingerprint(key, 'POST', '/account/password', full)).toBe(bare);
    expect(canonicalBody({ ...full, password: 'x', name: 'n' })).toBe('{"name":"n"}');
  });

  it('depend on the server key, and are never the plain SHA-256 of the request', () => {
    const body = { name: 'x' };
    const other = fingerprintKey('another-secret');
    expect(fingerprint(key, 'POST', '/p', body)).not.toBe(fingerprint(other, 'POST', '/p', body));
    const plain = createHash('sha256')
      .update(`POST /p\n${canonicalBody(body)}`)
      .digest('hex');
    expect(fingerprint(key, 'POST', '/p', body)).not.toBe(plain);
    expect(fingerprintKey('s')).not.toEqual(Buffer.from(createHash('sha256').update('s').digest()));
  });

  it('refuse a body nested deeper than 32 levels with a field error, never a stack overflow', () => {
    const deep = JSON.parse('['.repeat(50_000) + ']'.repeat(50_000)) as unknown;
    expect(nestsDeeperThan(deep)).toBe(true);
    expect(() => canonicalBody(deep)).toThrow(ValidationError);
    const ok = JSON.parse('['.repeat(32) + ']'.repeat(32)) as unknown;
    expect(nestsDeeperThan(ok)).toBe(false);
    expect(nestsDeeperThan(JSON.parse('['.repeat(33) + ']'.repeat(33)))).toBe(true);
    expect(() => canonicalBody(ok)).not.toThrow();
  });
});
