import { maskToken, unmaskToken } from '../../src/middleware/csrf-mask';

const TOKEN = 'a3f1c2d4e5b6a7980123456789abcdef0123456789abcdef0123456789abcdef';

describe('masked CSRF tokens', () => {
  it('differ on every rendering and unmask to the same token', () => {
    const masks = new Set(Array.from({ length: 20 }, () => maskToken(TOKEN)));
    expect(masks.size).toBe(20);
    for (const masked of masks) {
      expect(masked).not.toContain(TOKEN);
      expect(masked).toMatch(/^m\.[A-Za-z0-9_-]+$/);
      expect(unmaskToken(masked)).toBe(TOKEN);
    }
  });

  it('let a bare token through as it is (a page from the previous release during a rolling deploy)', () => {
    expect(unmaskToken(TOKEN)).toBe(TOKEN);
  });

  it('turn anything else into something that cannot match a session token', () => {
    for (const junk of [
      '',
      '!!',
      'abc',
      'm.',
      'm.!!',
      `m.${'a'.repeat(85)}`,
      `${maskToken(TOKEN)}x`,
      `${maskToken(TOKEN).slice(0, -2)}`,
    ]) {
      expect(unmaskToken(junk)).not.toBe(TOKEN);
    }
  });
});

describe('the pads of masked tokens', () => {
  it('never repeat across many renderings (each comes from bytes of the pool used once)', () => {
    const pads = new Set<string>();
    const count = 1_000; // far more than one pool of random bytes
    for (let i = 0; i < count; i++) {
      const bytes = Buffer.from(maskToken(TOKEN).slice(2), 'base64url');
      pads.add(bytes.subarray(0, bytes.length / 2).toString('hex'));
    }
    expect(pads.size).toBe(count);
  });

  it('mask a token longer than the pool as well', () => {
    const long = 'x'.repeat(5_000);
    expect(unmaskToken(maskToken(long))).toBe(long);
  });
});
