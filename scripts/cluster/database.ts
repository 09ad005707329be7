// The cluster's database: created when missing, migrated once (never by the nodes themselves), and
// given the demo seed when it has no users yet. The steps run the built CLI, as a deploy would.
import path from 'node:path';
import knex, { type Knex } from 'knex';
import { runLogged } from './processes';
import { REPO_ROOT } from './render-nginx';

export const DB_CLI = path.join(REPO_ROOT, 'dist', 'src', 'cli.js');

function splitUrl(databaseUrl: string): { serverUrl: string; name: string } {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]{1,64}$/.test(name)) {
    throw new Error(`DATABASE_URL must name a database of letters, digits and _, got "${name}"`);
  }
  url.pathname = '/';
  return { serverUrl: url.toString(), name };
}

function connect(uri: string): Knex {
  return knex({ client: 'mysql2', connection: { uri } as Knex.MySql2ConnectionConfig, pool: { min: 0, max: 1 } });
}

async function withServer<T>(databaseUrl: string, work: (db: Knex, name: string) => Promise<T>): Promise<T> {
  const { serverUrl, name } = splitUrl(databaseUrl);
  const db = connect(serverUrl);
  try {
    return await work(db, name);
  } finally {
    await db.destroy();
  }
}

export interface PrepareOptions {
  databaseUrl: string;
  /** The environment of the one-shot steps (DATABASE_URL and NODE_ENV are set here). */
  env: NodeJS.ProcessEnv;
  demoPassword: string;
  logDir: string;
}

export interface PrepareResult {
  created: boolean;
  seeded: boolean;
}

export async function prepareDatabase(opts: PrepareOptions): Promise<PrepareResult> {
  const created = await withServer(opts.databaseUrl, async (db, name) => {
    const [rows] = (await db.raw('SELECT 1 FROM information_schema.schemata WHERE schema_name = ?', [name])) as [
      unknown[],
    ];
    if (rows.length > 0) return false;
    await db.raw(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    return true;
  });

  const step = (name: string, command: string, env: NodeJS.ProcessEnv) =>
    runLogged({
      name,
      command: process.execPath,
      args: [DB_CLI, command],
      cwd: REPO_ROOT,
      env: { ...opts.env, DATABASE_URL: opts.databaseUrl, ...env },
      logFile: path.join(opts.logDir, `${name}.log`),
    });

  await step('migrate', 'migrate', { NODE_ENV: 'production' });

  const db = connect(opts.databaseUrl);
  let users: number;
  try {
    const row = (await db('users').count({ n: '*' }).first()) as { n: number | string } | undefined;
    users = Number(row?.n ?? 0);
  } finally {
    await db.destroy();
  }
  // Demo accounts are never made in production, so the seed step runs as development.
  if (users === 0) await step('seed', 'seed', { NODE_ENV: 'development', DEMO_PASSWORD: opts.demoPassword });
  return { created, seeded: users === 0 };
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  await withServer(databaseUrl, (db, name) => db.raw(`DROP DATABASE IF EXISTS \`${name}\``));
}
