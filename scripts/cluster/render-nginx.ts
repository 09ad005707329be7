// Renders nginx/sis.conf.template the way the official nginx image does (envsubst), limited to SIS_ names.
import fs from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const TEMPLATE_PATH = path.join(REPO_ROOT, 'nginx', 'sis.conf.template');

export type NginxVars = Readonly<Record<string, string | undefined>>;

// envsubst replaces `${NAME}` and a bare `$NAME`; both forms, but only for SIS_ names, so nginx's own
// (lower-case) variables such as $host or $request_id pass through untouched.
const SIS_NAME = /\$(?:\{(SIS_[A-Za-z0-9_]+)\}|(SIS_[A-Za-z0-9_]+))/g;

/** The template with every SIS_ name replaced; throws naming each SIS_ variable that has no value. */
export function renderNginx(vars: NginxVars, template = fs.readFileSync(TEMPLATE_PATH, 'utf8')): string {
  const missing = new Set<string>();
  const rendered = template.replace(SIS_NAME, (match, braced?: string, bare?: string) => {
    const name = (braced ?? bare) as string;
    const value = vars[name];
    if (value === undefined || value.trim() === '') {
      missing.add(name);
      return match;
    }
    return value;
  });
  if (missing.size > 0) {
    throw new Error(`nginx template: no value for ${[...missing].join(', ')}`);
  }
  return rendered;
}

export interface NativeNginxOptions {
  nginxPort: number;
  upstreams: string[];
  staticRoot?: string;
}

/** The values of the native cluster: nginx on loopback, nodes on their own loopback addresses. */
export function nativeNginxVars({ nginxPort, upstreams, staticRoot }: NativeNginxOptions): NginxVars {
  if (upstreams.length !== 3) throw new Error(`the template has three upstream servers, got ${upstreams.length}`);
  return {
    SIS_LISTEN: `127.0.0.1:${nginxPort}`,
    SIS_UPSTREAM_1: upstreams[0],
    SIS_UPSTREAM_2: upstreams[1],
    SIS_UPSTREAM_3: upstreams[2],
    SIS_RESOLVER: '127.0.0.1',
    SIS_STATIC_ROOT: staticRoot ?? path.join(REPO_ROOT, 'public'),
  };
}
