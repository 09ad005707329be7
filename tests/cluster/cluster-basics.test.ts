// The real cluster: nginx on its own port, three node processes, MariaDB and Redis. Round robin,
// request ids, static files from nginx, and one session valid on every node until sign-out.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import zlib from 'node:zlib';
import { Cluster } from '../../scripts/cluster/cluster';
import { dropDatabase } from '../../scripts/cluster/database';
import { httpRequest, type HttpResponse } from '../../scripts/cluster/http';
import { REPO_ROOT } from '../../scripts/cluster/render-nginx';

const suffix = randomBytes(4).toString('hex');
const DATABASE_URL = `mysql://root@127.0.0.1:3306/sis_cluster_test_${suffix}`;
const RUN_DIR = path.join(REPO_ROOT, 'run', `test-cluster-${suffix}`);
const NODE_IDS = ['node-1', 'node-2', 'node-3'];

// jest.config.js gives the cluster project testTimeout 180 s, but jest reads testTimeout only from the
// top-level config, so this file sets its own.
jest.setTimeout(60_000);

// Own ports, so a cluster from `npm run cluster` (8080, :3000) may keep running meanwhile. Made up front
// so that afterAll stops whatever has started even when start() fails or times out half-way.
const cluster = new Cluster({ databaseUrl: DATABASE_URL, nginxPort: 18080, appPort: 13000, runDir: RUN_DIR });

beforeAll(() => cluster.start(), 120_000);

afterAll(async () => {
  await cluster.stop();
  await dropDatabase(DATABASE_URL);
  // KEEP_CLUSTER_RUN=1 keeps the logs of this run for a look after a failure.
  if (!process.env.KEEP_CLUSTER_RUN) fs.rmSync(RUN_DIR, { recursive: true, force: true });
}, 60_000);

function perNode(): Record<string, number> {
  return Object.fromEntries(NODE_IDS.map((id) => [id, 0]));
}

function servedBy(res: HttpResponse): string {
  return String(res.headers['x-served-by'] ?? 'none');
}

function csrfFrom(html: string): string {
  const token = /<meta name="csrf-token" content="([^"]+)">/.exec(html)?.[1];
  if (!token) throw new Error('no csrf-token meta tag in the page');
  return token;
}

function sessionCookie(res: HttpResponse, previous?: string): string {
  const cookie = (res.headers['set-cookie'] ?? []).find((c) => c.startsWith('sis.sid='));
  return cookie?.split(';')[0] ?? previous ?? '';
}

describe('the native cluster', () => {
  it('spreads 300 requests evenly over the three nodes, each with a request id', async () => {
    const counts = perNode();
    const ids = new Set<string>();
    let errors = 0;
    for (let batch = 0; batch < 30; batch++) {
      const responses = await Promise.all(
        Array.from({ length: 10 }, () => httpRequest(`${cluster.url}/healthz`).catch(() => undefined)),
      );
      for (const res of responses) {
        if (res?.status !== 200) {
          errors++;
          continue;
        }
        counts[servedBy(res)] = (counts[servedBy(res)] ?? 0) + 1;
        ids.add(String(res.headers['x-request-id']));
      }
    }
    console.log(
      `300 GET /healthz through nginx: ${errors} errors, per node ${JSON.stringify(counts)}, ${ids.size} ids`,
    );
    expect(errors).toBe(0);
    expect(Object.keys(counts).sort()).toEqual(NODE_IDS);
    for (const id of NODE_IDS) {
      expect(counts[id]).toBeGreaterThanOrEqual(85);
      expect(counts[id]).toBeLessThanOrEqual(115);
    }
    expect(ids.size).toBe(300);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
  });

  it("answers under nginx's own request id, and passes a caller's X-Request-Id to the node apart", async () => {
    const incoming = `cluster-test-${suffix}`;
    const res = await httpRequest(`${cluster.url}/login`, { headers: { 'X-Request-Id': incoming } });
    expect(res.status).toBe(200);
    const id = String(res.headers['x-request-id']);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    // The node logged nginx's id as the request id and the caller's beside it: nginx forwarded both.
    const node = cluster.nodes.find((n) => n.id === servedBy(res))!;
    let logged = false;
    for (let i = 0; i < 20 && !logged; i++) {
      const log = fs.readFileSync(node.logFile, 'utf8');
      logged = log
        .split('\n')
        .some((line) => line.includes(`"id":"${id}"`) && line.includes(`"clientRequestId":"${incoming}"`));
      if (!logged) await sleep(100);
    }
    console.log(`X-Request-Id ${incoming} -> nginx id ${id}, logged by ${node.id} with the caller's id: ${logged}`);
    expect(logged).toBe(true);

    const bad = await httpRequest(`${cluster.url}/healthz`, { headers: { 'X-Request-Id': 'not a usable id!' } });
    expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('serves /static/ from nginx with a long cache and gzip, and falls back to the app for what is not on disk', async () => {
    const file = fs.readFileSync(path.join(REPO_ROOT, 'public', 'css', 'app.css'));
    const gz = await httpRequest(`${cluster.url}/static/css/app.css`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gz.status).toBe(200);
    expect(gz.headers['x-served-by']).toBeUndefined();
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['cache-control']).toBe('max-age=604800');
    expect(gz.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(zlib.gunzipSync(gz.body).equals(file)).toBe(true);

    const plain = await httpRequest(`${cluster.url}/static/css/app.css`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(file)).toBe(true);

    const missing = await httpRequest(`${cluster.url}/static/css/missing.css`);
    console.log(
      `/static/css/app.css: ${file.length} bytes, ${gz.body.length} gzipped, served by nginx; ` +
        `missing.css: ${missing.status} from ${servedBy(missing)}`,
    );
    expect(missing.status).toBe(404);
    expect(NODE_IDS).toContain(servedBy(missing));
  });

  it('never serves /metrics through nginx; each node still answers it on its own address', async () => {
    const proxied = await httpRequest(`${cluster.url}/metrics`);
    expect(proxied.status).toBe(404);
    expect(proxied.text).not.toContain('process_cpu');
    const direct = await httpRequest(`${cluster.nodes[0]!.url}/metrics`);
    expect(direct.status).toBe(200);
    expect(direct.text).toContain('process_cpu');
  });

  it('shows nginx status to 127.0.0.1', async () => {
    const res = await httpRequest(`${cluster.url}/nginx_status`);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^Active connections: \d+/);
  });

  it('keeps one sign-in valid on every node, and one sign-out ends it on every node', async () => {
    const loginPage = await httpRequest(`${cluster.url}/login`);
    // No session before sign-in: the form's signed CSRF cookie is all there is.
    const csrfCookie = (loginPage.headers['set-cookie'] ?? []).find((c) => c.startsWith('sis.csrf='))?.split(';')[0];
    expect(sessionCookie(loginPage)).toBe('');
    const login = await httpRequest(`${cluster.url}/login`, {
      method: 'POST',
      headers: { Cookie: csrfCookie ?? '', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        username: 'admin',
        password: 'demo-password',
        _csrf: csrfFrom(loginPage.text),
      }).toString(),
    });
    expect(login.status).toBe(302);
    expect(login.headers.location).toBe('/');
    const cookie = sessionCookie(login);

    const signedIn = perNode();
    const statuses: number[] = [];
    let lastPage = '';
    for (let i = 0; i < 30; i++) {
      const res = await httpRequest(`${cluster.url}/students`, { headers: { Cookie: cookie, Accept: 'text/html' } });
      statuses.push(res.status);
      if (res.status === 200) {
        signedIn[servedBy(res)] = (signedIn[servedBy(res)] ?? 0) + 1;
        lastPage = res.text;
      }
    }
    const notOk = statuses.filter((s) => s !== 200).length;
    console.log(`30 GET /students signed in as admin: ${notOk} not 200, per node ${JSON.stringify(signedIn)}`);
    expect(notOk).toBe(0);
    for (const id of NODE_IDS) expect(signedIn[id]).toBeGreaterThan(0);

    const logout = await httpRequest(`${cluster.url}/logout`, {
      method: 'POST',
      headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrfFrom(lastPage) }).toString(),
    });
    expect(logout.status).toBe(302);

    const signedOut = perNode();
    const redirects: string[] = [];
    for (let i = 0; i < 9; i++) {
      const res = await httpRequest(`${cluster.url}/students`, { headers: { Cookie: cookie, Accept: 'text/html' } });
      redirects.push(`${res.status} ${res.headers.location}`);
      signedOut[servedBy(res)] = (signedOut[servedBy(res)] ?? 0) + 1;
    }
    console.log(
      `9 GET /students after POST /logout (served by ${servedBy(logout)}): per node ${JSON.stringify(signedOut)}`,
    );
    expect(redirects).toEqual(Array(9).fill('302 /login'));
    for (const id of NODE_IDS) expect(signedOut[id]).toBeGreaterThan(0);
  });
});
