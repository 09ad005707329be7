// The benchmark's own services: a fresh database per size on the MariaDB server (migrated and seeded by
// the built CLI, as a deploy does), and a private redis-server so the storm's sessions and limiter
// counters never touch a Redis others use. Each registers its own undo (cleanup.ts).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import knex, { type Knex } from 'knex';
import { DB_CLI } from '../cluster/database';
import { assertPortFree, runLogged, spawnLogged, stopChild } from '../cluster/processes';
import { REPO_ROOT } from '../cluster/render-nginx';
import { onCleanup } from './cleanup';

export const BENCH_PASSWORD = 'bench-password-123';
const SEED_TIMEOUT_MS = 20 * 60_000;

function serverOf(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = '/';
  return url.toString();
}

function admin(databaseUrl: string): Knex {
  const uri = serverOf(databaseUrl);
  return knex({ client: 'mysql2', connection: { uri } as Knex.MySql2ConnectionConfig, pool: { min: 0, max: 1 } });
}

/** The environment of a one-shot CLI step: nothing from this shell that would point it elsewhere. */
function cliEnv(databaseUrl: string, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['SQLITE_FILE', 'REDIS_URL', 'NODE_ID', 'HOST', 'PORT']) delete env[name];
  return { ...env, DATABASE_URL: databaseUrl, ...extra };
}

/**
 * Creates sis_bench_<label>_<random> on the server, migrates it and seeds `students` demo students with
 * the demo accounts (password BENCH_PASSWORD); the database is dropped at cleanup.
 */
export async function freshDatabase(
  serverUrl: string,
  label: string,
  students: number,
  logDir: string,
): Promise<{ url: string; name: string; seedSeconds: number; drop: () => Promise<void> }> {
  const name = `sis_bench_${label}_${randomBytes(3).toString('hex')}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const server = admin(serverUrl);
  try {
    await server.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await server.destroy();
  }
  const drop = onCleanup(`drop database ${name}`, async () => {
    const db = admin(serverUrl);
    try {
      await db.raw(`DROP DATABASE IF EXISTS \`${name}\``);
    } finally {
      await db.destroy();
    }
  });

  const step = (command: string, env: NodeJS.ProcessEnv) =>
    runLogged(
      {
        name: `${command}-${label}`,
        command: process.execPath,
        args: [DB_CLI, command],
        cwd: REPO_ROOT,
        env: cliEnv(databaseUrl, env),
        logFile: path.join(logDir, `${command}.log`),
      },
      SEED_TIMEOUT_MS,
    );
  await step('migrate', { NODE_ENV: 'production' });
  const started = Date.now();
  // Demo accounts are never made in production, so the seed runs as development (as the cluster's does).
  await step('seed', { NODE_ENV: 'development', DEMO_PASSWORD: BENCH_PASSWORD, SEED_STUDENTS: String(students) });
  return { url: databaseUrl, name, seedSeconds: (Date.now() - started) / 1000, drop };
}

async function waitForPort(port: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => socket.end(() => resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline)
      throw new Error(`redis-server: nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** A redis-server of the benchmark's own (no persistence), stopped by its PID at cleanup (or by `stop`). */
export async function privateRedis(port: number, dir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  await assertPortFree('127.0.0.1', port);
  fs.mkdirSync(dir, { recursive: true });
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  const child = spawnLogged({
    name: 'redis',
    command: 'redis-server',
    args,
    env: process.env,
    cwd: dir,
    logFile: path.join(dir, 'redis.log'),
  });
  if (child.pid === undefined) throw new Error('could not start redis-server');
  const stop = onCleanup(`stop redis-server (pid ${child.pid})`, () => stopChild(child, 'SIGTERM'));
  await waitForPort(port);
  return { url: `redis://127.0.0.1:${port}`, stop };
}
