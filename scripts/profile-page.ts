// `npx tsx scripts/profile-page.ts`: CPU cost per page of one production node (built dist/, SQLite).
// Seeds a SQLite file once (PROFILE_DB, PROFILE_STUDENTS), starts `node --cpu-prof dist/src/server.js` on
// 127.0.0.1, signs in as staff, loads each page with autocannon and prints req/s and the node's CPU ms per
// request (from /proc), then the profile's self time by function and by package. Run `npm run build` first.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';

const ROOT = path.join(__dirname, '..');
const DB_FILE = process.env.PROFILE_DB ?? path.join(os.tmpdir(), 'sis-profile.sqlite3');
const STUDENTS = Number(process.env.PROFILE_STUDENTS ?? 10_000);
const SECONDS = Number(process.env.PROFILE_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.PROFILE_CONNECTIONS ?? 16);
const PORT = Number(process.env.PROFILE_PORT ?? 3917);
const PASSWORD = 'profile-password-123';
const PROFILE_DIR = process.env.PROFILE_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sis-cpuprof-'));
const TOP = Number(process.env.PROFILE_TOP ?? 30);

/** Seeds with the built CLI, so the file's migrations are the ones dist/ runs (.js, not .ts). */
function seedOnce(): void {
  if (fs.existsSync(DB_FILE)) return;
  for (const command of ['migrate', 'seed']) {
    execFileSync(process.execPath, ['dist/src/cli.js', command], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { PATH: process.env.PATH, SQLITE_FILE: DB_FILE, DEMO_PASSWORD: PASSWORD, SEED_STUDENTS: String(STUDENTS) },
    });
  }
}

/** utime + stime of a process, in ms. */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
}

async function signIn(base: string): Promise<string> {
  const page = await fetch(`${base}/login`);
  const cookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
  const token = /name="csrf-token" content="([^"]+)"/.exec(await page.text())![1]!;
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ username: 'staff', password: PASSWORD, _csrf: token }),
  });
  if (res.status !== 302) throw new Error(`sign-in failed: ${res.status}`);
  return res.headers
    .getSetCookie()
    .find((c) => c.startsWith('sis.sid='))!
    .split(';')[0]!;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function where(url: string): string {
  if (!url) return '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node core';
  return path.relative(ROOT, url.replace(/^file:\/\//, ''));
}

function summarise(file: string): void {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)');
  const busy = total - idle.reduce((a, [, t]) => a + t, 0);
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  for (const [id, t] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    const w = where(url);
    const name = `${functionName || '(anonymous)'}  ${w}${url ? `:${lineNumber + 1}` : ''}`;
    fn.set(name, (fn.get(name) ?? 0) + t);
    pkg.set(w, (pkg.get(w) ?? 0) + t);
  }
  const show = (title: string, m: Map<string, number>) => {
    console.log(`\n${title} (share of busy time ${(busy / 1e6).toFixed(1)} s):`);
    for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
      console.log(`${((100 * t) / busy).toFixed(1).padStart(5)}%  ${k}`);
    }
  };
  show('self time by package / file', pkg);
  show('self time by function', fn);
}

async function main(): Promise<void> {
  seedOnce();
  const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, 'dist/src/server.js'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      SESSION_SECRET: 'profile-session-secret-0123456789',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      SQLITE_FILE: DB_FILE,
      HOST: '127.0.0.1',
      PORT: String(PORT),
      NODE_ID: 'profile',
    },
  });
  const base = `http://127.0.0.1:${PORT}`;
  try {
    for (let i = 0; ; i++) {
      if ((await fetch(`${base}/healthz`).catch(() => null))?.ok) break;
      if (i > 100) throw new Error('the node did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
    const cookie = await signIn(base);
    const list = (await (
      await fetch(`${base}/students`, { headers: { cookie, accept: 'application/json' } })
    ).json()) as { data: { id: number }[] };
    const someId = list.data[0]!.id;
    const pages: [string, string, string][] = [
      ['/students/:id (page)', `/students/${someId}`, 'text/html'],
      ['/students/:id (JSON)', `/students/${someId}`, 'application/json'],
      ['/students (page)', '/students', 'text/html'],
      ['/sections (page)', '/sections', 'text/html'],
      ['/ (dashboard page)', '/', 'text/html'],
    ];
    const only = process.env.PROFILE_PAGES?.split(',');
    console.log(`${CONNECTIONS} connections, ${SECONDS} s each, one node, NODE_ENV=production, SQLite ${STUDENTS}`);
    for (const [title, url, accept] of pages) {
      if (only && !only.some((o) => title.includes(o))) continue;
      const before = cpuMs(child.pid!);
      const result = await autocannon({
        url: base + url,
        connections: CONNECTIONS,
        duration: SECONDS,
        headers: { accept, cookie },
      });
      const used = cpuMs(child.pid!) - before;
      const errors = result.errors + result.timeouts + result.non2xx;
      console.log(
        `${title.padEnd(24)} ${result.requests.average.toFixed(0).padStart(6)} req/s  ` +
          `${(used / result.requests.total).toFixed(2)} CPU ms/req  p99 ${result.latency.p99} ms  ` +
          `(${result.requests.total} requests, ${errors} errors)`,
      );
    }
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  const file = fs.readdirSync(PROFILE_DIR).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile in ${PROFILE_DIR}`);
  console.log(`\nprofile: ${path.join(PROFILE_DIR, file)}`);
  summarise(path.join(PROFILE_DIR, file));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
