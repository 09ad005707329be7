// `npm run bench`: prints seed throughput and HTTP throughput/latency figures for one node.
// Runs against a fresh database on the MySQL server in DATABASE_URL (default: this machine's MariaDB),
// or SQLite with BENCH_DB=sqlite. Traffic goes to 127.0.0.1 only; every loop is bounded in time.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import knex, { type Knex } from 'knex';
import pino from 'pino';
import { seedDemo } from '../seeds/demo';
import { createApp } from '../src/app';
import { type DatabaseConfig, loadConfig } from '../src/config';
import { createDb } from '../src/db/knex';
import { migrateLatest } from '../src/db/migrate';

const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const PASSWORD = 'bench-password-123';

async function freshDatabase(): Promise<{ database: DatabaseConfig; drop: () => Promise<void> }> {
  if (process.env.BENCH_DB === 'sqlite') {
    const filename = path.join(os.tmpdir(), `sis-bench-${randomBytes(4).toString('hex')}.sqlite3`);
    return { database: { client: 'sqlite', filename }, drop: async () => {} };
  }
  const server = process.env.DATABASE_URL || 'mysql://root@127.0.0.1:3306/test';
  const name = `sis_bench_${randomBytes(4).toString('hex')}`;
  const admin: Knex = knex({ client: 'mysql2', connection: { uri: server } as Knex.MySql2ConnectionConfig });
  await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    database: { client: 'mysql', url: url.toString() },
    drop: async () => {
      await admin.raw(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.destroy();
    },
  };
}

async function signInCookie(base: string): Promise<string> {
  const page = await fetch(`${base}/login`);
  // The sign-in form's signed CSRF cookie (no session exists before sign-in).
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
  if (res.status !== 302) throw new Error(`bench sign-in failed: ${res.status}`);
  return res.headers
    .getSetCookie()
    .find((c) => c.startsWith('sis.sid='))!
    .split(';')[0]!;
}

async function load(title: string, url: string, cookie?: string, accept = 'application/json'): Promise<void> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { accept, ...(cookie ? { cookie } : {}) },
  });
  const errors = result.errors + result.timeouts + result.non2xx;
  console.log(
    `${title.padEnd(34)} ${result.requests.average.toFixed(0).padStart(6)} req/s  p50 ${result.latency.p50} ms  ` +
      `p99 ${result.latency.p99} ms  (${result.requests.total} requests, ${errors} errors)`,
  );
}

async function main(): Promise<void> {
  const { database, drop } = await freshDatabase();
  const db = createDb(database);
  try {
    await migrateLatest(db);
    const started = process.hrtime.bigint();
    await seedDemo(db, { demoPassword: PASSWORD, students: STUDENTS });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`database: ${database.client}`);
    console.log(`seed ${STUDENTS} students: ${seconds.toFixed(2)} s (${Math.round(STUDENTS / seconds)} rows/s)`);

    const config = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: randomBytes(24).toString('hex'),
      LOG_LEVEL: 'silent',
      NODE_ID: 'bench',
      LOGIN_MAX_FAILURES: '1000',
    });
    const app = createApp({ config, db, logger: pino({ level: 'silent' }) });
    const server = http.createServer(app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const cookie = await signInCookie(base);
    const someId = (await db('students').orderBy('id', 'desc').first('id')).id;

    console.log(`HTTP, ${CONNECTIONS} connections, ${SECONDS} s each, one node:`);
    await load('GET /healthz', `${base}/healthz`);
    await load('GET /students/:id (JSON)', `${base}/students/${someId}`, cookie);
    await load('GET /students?page=50 (JSON)', `${base}/students?page=50`, cookie);
    await load('GET /students?q=2024 (prefix)', `${base}/students?q=2024`, cookie);
    await load('GET /students?q=王 (name substring)', `${base}/students?q=${encodeURIComponent('王')}`, cookie);
    // Whole pages as a browser gets them: layout, locale, formatted dates, the dashboard's SVG charts.
    await load('GET / (dashboard page, charts)', `${base}/`, cookie, 'text/html');
    await load('GET /students?sort=name (page)', `${base}/students?sort=name&dir=desc`, cookie, 'text/html');
    await load('GET /sections (page)', `${base}/sections`, cookie, 'text/html');
    // autocannon abandons its last in-flight requests; let the node finish them before closing the pool.
    await new Promise((resolve) => server.close(resolve));
    await new Promise((resolve) => setTimeout(resolve, 5_000));
  } finally {
    await db.destroy();
    await drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
