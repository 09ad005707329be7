// The one plain line `npm start` prints for a person (the JSON log lines are for machines): where the
// app is and, outside production, how to sign in to the demo.
import type { AddressInfo } from 'node:net';

/** The address a browser on this machine opens: a wildcard listen address is reached as localhost. */
export function browserUrl(address: Pick<AddressInfo, 'address' | 'family' | 'port'>): string {
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const host = wildcard ? 'localhost' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * `accounts`: the demo accounts that take `demoPassword` right now. Null (print nothing) without a demo
 * password (production) or without such an account: the line never names a password that signs no one in.
 */
export function startupLine(url: string, accounts: readonly string[], demoPassword: string | undefined): string | null {
  if (!demoPassword || accounts.length === 0) return null;
  return `Cluster SIS is running at ${url} — sign in as ${accounts.join(' / ')} with password ${demoPassword}`;
}
