// The fixed-endpoint loads of `npm run bench`, with autocannon: the same pages through nginx and the
// three nodes, and straight to one node. /healthz is the ceiling each row is compared with.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import type { Knex } from 'knex';
import { staffSession } from './client';
import type { Knobs } from './knobs';
import type { BenchRow } from './report';
import { BENCH_PASSWORD } from './services';
import { STUDENT_FIELDS } from '../../src/students/students.schemas';

interface Endpoint {
  name: string;
  path: string;
  accept?: string;
  /** autocannon's per-request hooks, for the edit. */
  requests?: autocannon.Request[];
}

interface EditTarget {
  id: number;
  version: number;
  body: Record<string, unknown>;
  busy: boolean;
}

/** The students the edits go to, round robin: a pool several times the connections, versions tracked here. */
export async function editPool(db: Knex, size: number): Promise<EditTarget[]> {
  const rows: Record<string, unknown>[] = await db('students')
    .whereNull('deleted_at')
    .orderBy('id', 'desc')
    .limit(size)
    .select('id', 'version', ...STUDENT_FIELDS);
  return rows.map((r) => ({
    id: Number(r.id),
    version: Number(r.version),
    body: Object.fromEntries(STUDENT_FIELDS.map((f) => [f, r[f] ?? ''])),
    busy: false,
  }));
}

/** A valid edit per request: the next free student of the pool, its current version, a fresh key. */
function editRequests(pool: EditTarget[], csrf: string, refresh: (t: EditTarget) => void): autocannon.Request[] {
  let next = 0;
  const take = (): EditTarget => {
    for (let i = 0; i < pool.length; i++) {
      const t = pool[(next + i) % pool.length]!;
      if (!t.busy) {
        next = (next + i + 1) % pool.length;
        return t;
      }
    }
    return pool[next++ % pool.length]!;
  };
  return [
    {
      method: 'POST',
      setupRequest: (req, context) => {
        const t = take();
        t.busy = true;
        (context as { target?: EditTarget }).target = t;
        const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
        return {
          ...req,
          method: 'POST',
          path: `/students/${t.id}`,
          headers: {
            ...req.headers,
            accept: 'application/json',
            'content-type': 'application/json',
            'x-csrf-token': csrf,
            'idempotency-key': randomUUID(),
          },
          body: JSON.stringify({ ...t.body, phone, version: t.version }),
        };
      },
      onResponse: (status, body, context) => {
        const t = (context as { target?: EditTarget }).target;
        if (!t) return;
        if (status >= 200 && status < 300) {
          const version = Number((JSON.parse(body) as { data?: { version?: number } }).data?.version);
          t.version = Number.isInteger(version) ? version : t.version + 1;
          t.busy = false;
        } else refresh(t); // stays busy until its current version is read again
      },
    },
  ];
}

async function lookups(db: Knex) {
  const count = Number((await db('students').whereNull('deleted_at').count<{ n: number }[]>({ n: '*' }).first())?.n);
  const middle: { id: number; student_no: string } = await db('students')
    .whereNull('deleted_at')
    .orderBy('id')
    .offset(Math.floor(count / 2))
    .first('id', 'student_no');
  const twoChar: { name: string } | undefined = await db('students')
    .whereNull('deleted_at')
    .whereRaw('CHAR_LENGTH(name) = 2')
    .orderBy('id')
    .offset(Math.floor(count / 3))
    .first('name');
  return { count, middle, twoChar: twoChar?.name ?? '李娜' };
}

/** Page N of the list: page=N today; when the list answers with `next` links (keyset), they are followed. */
async function deepPagePath(base: string, cookie: string, wanted: number): Promise<{ path: string; page: number }> {
  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`, { headers: { accept: 'application/json', cookie } });
    return (await res.json()) as { meta?: { pages?: number; next?: string | null }; links?: { next?: string | null } };
  };
  const first = await get('/students');
  const nextOf = (b: Awaited<ReturnType<typeof get>>) => b.links?.next ?? b.meta?.next ?? null;
  if (nextOf(first) && typeof nextOf(first) === 'string') {
    let path = '/students';
    let body = first;
    let page = 1;
    while (page < wanted && nextOf(body)) {
      const next = String(nextOf(body));
      path = next.startsWith('http') ? new URL(next).pathname + new URL(next).search : next;
      body = await get(path);
      page++;
    }
    return { path, page };
  }
  const page = Math.max(1, Math.min(wanted, first.meta?.pages ?? wanted));
  return { path: `/students?page=${page}`, page };
}

async function load(base: string, endpoint: Endpoint, knobs: Knobs, cookie: string): Promise<autocannon.Result> {
  const result = await autocannon({
    url: `${base}${endpoint.path}`,
    connections: knobs.connections,
    duration: knobs.seconds,
    timeout: 10,
    headers: { accept: endpoint.accept ?? 'text/html', cookie },
    requests: endpoint.requests,
  });
  // autocannon abandons its last in-flight requests; let the nodes finish them before the next row.
  await sleep(1_000);
  return result;
}

export async function runEndpoints(opts: {
  db: Knex;
  students: number;
  targets: { name: 'cluster' | 'node'; url: string }[];
  knobs: Knobs;
  log: (line: string) => void;
}): Promise<BenchRow[]> {
  const { db, knobs } = opts;
  const { middle, twoChar } = await lookups(db);
  const pool = await editPool(db, knobs.connections * 4);
  const rows: BenchRow[] = [];
  for (const target of opts.targets) {
    const staff = await staffSession(target.url, BENCH_PASSWORD);
    const cookie = staff.cookieHeader;
    const refresh = (t: EditTarget) => {
      void fetch(`${target.url}/students/${t.id}`, { headers: { accept: 'application/json', cookie } })
        .then((r) => r.json() as Promise<{ data?: { version?: number } }>)
        .then((b) => {
          if (b.data?.version !== undefined) t.version = Number(b.data.version);
        })
        .catch(() => {})
        .finally(() => (t.busy = false));
    };
    const deep = await deepPagePath(target.url, cookie, knobs.deepPage);
    const prefix = middle.student_no.slice(0, -2);
    const endpoints: Endpoint[] = [
      { name: 'GET /healthz (ceiling)', path: '/healthz', accept: 'application/json' },
      { name: 'student list, page 1', path: '/students' },
      { name: `student list, page ${deep.page}`, path: deep.path },
      { name: 'name search q=王', path: `/students?q=${encodeURIComponent('王')}` },
      { name: `name search q=${twoChar}`, path: `/students?q=${encodeURIComponent(twoChar)}` },
      { name: `number search q=${prefix} (prefix)`, path: `/students?q=${prefix}` },
      { name: 'student detail (HTML)', path: `/students/${middle.id}` },
      { name: 'student detail (JSON)', path: `/students/${middle.id}`, accept: 'application/json' },
      {
        name: 'student edit (POST JSON)',
        path: '/students',
        accept: 'application/json',
        requests: editRequests(pool, staff.csrf, refresh),
      },
      { name: 'sections page', path: '/sections' },
    ];
    let ceiling = 0;
    for (const endpoint of endpoints) {
      if (knobs.only && !endpoint.name.includes('healthz') && !knobs.only.test(endpoint.name)) continue;
      const r = await load(target.url, endpoint, knobs, cookie);
      const reqPerSec = r.requests.average;
      if (endpoint.path === '/healthz') ceiling = reqPerSec;
      const row: BenchRow = {
        students: opts.students,
        target: target.name,
        name: endpoint.name,
        path: endpoint.requests ? 'POST /students/:id' : `GET ${endpoint.path}`,
        reqPerSec: Math.round(reqPerSec * 10) / 10,
        p50Ms: r.latency.p50,
        p99Ms: r.latency.p99,
        requests: r.requests.total,
        errors: r.errors + r.non2xx,
        non2xx: r.non2xx,
        timeouts: r.timeouts,
        socketErrors: r.errors - r.timeouts,
        ratio: ceiling > 0 ? reqPerSec / ceiling : null,
        statusCodes: Object.fromEntries(
          Object.entries(r.statusCodeStats ?? {}).map(([code, s]) => [code, (s as { count: number }).count]),
        ),
      };
      rows.push(row);
      opts.log(
        `  ${target.name.padEnd(7)} ${row.name.padEnd(38)} ${row.reqPerSec.toFixed(0).padStart(6)} req/s  ` +
          `p50 ${row.p50Ms} ms  p99 ${row.p99Ms} ms  errors ${row.errors}`,
      );
    }
    staff.close();
  }
  return rows;
}
