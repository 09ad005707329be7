import { browserUrl, startupLine } from '../../../src/lib/startup-line';

describe('the start-up line', () => {
  it('gives the address a browser on this machine opens', () => {
    expect(browserUrl({ address: '0.0.0.0', family: 'IPv4', port: 3000 })).toBe('http://localhost:3000');
    expect(browserUrl({ address: '::', family: 'IPv6', port: 3000 })).toBe('http://localhost:3000');
    expect(browserUrl({ address: '127.0.0.11', family: 'IPv4', port: 3000 })).toBe('http://127.0.0.11:3000');
    expect(browserUrl({ address: '::1', family: 'IPv6', port: 8080 })).toBe('http://[::1]:8080');
  });

  it('names the address, the demo accounts and their password in one plain line', () => {
    const line = startupLine('http://localhost:3000', ['admin', 'staff', 'student'], 'demo-password');
    expect(line).toBe(
      'Cluster SIS is running at http://localhost:3000 — sign in as admin / staff / student with password demo-password',
    );
    expect(line).not.toMatch(/\n/);
  });

  it('is not printed without a demo password (production) or without an account that takes it', () => {
    expect(startupLine('http://localhost:3000', ['admin'], undefined)).toBeNull();
    expect(startupLine('http://localhost:3000', [], 'demo-password')).toBeNull();
  });
});
