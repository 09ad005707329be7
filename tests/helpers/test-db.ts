// A fresh, migrated database per test file: in-memory SQLite for `npm test`, or a new MariaDB/MySQL
// database (dropped afterwards) for `npm run test:services`. No service is ever skipped: when the
// target is MySQL and it cannot be reached, the suite fails.
//
// MySQL: running every migration for every file is slow and, on a busy machine, slower still (a file's
// set-up went past its hook timeout), so the services run migrates one template database once
// (tests/helpers/services-global-setup.ts) and each file clones it: the template's tables as
// SHOW CREATE TABLE gives them and all their rows (knex_migrations included, so migrateLatest is a
// no-op and the migration tests can roll back and forth). Whatever migrations exist are what is cloned.
import { randomBytes } from 'node:crypto';
import knex, { type Knex } from 'knex';
import type { DatabaseConfig } from '../../src/config';
import { createDb } from '../../src/db/knex';
import { migrateLatest } from '../../src/db/migrate';
import { opening, track } from './open-resources';

export type TestTarget = 'sqlite' | 'mysql';

export function testTarget(): TestTarget {
  return (globalThis as { TEST_TARGET?: TestTarget }).TEST_TARGET ?? 'sqlite';
}

export const MYSQL_SERVER_URL = process.env.DATABASE_URL || 'mysql://root@127.0.0.1:3306/test';
export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** Set by the services global set-up: the migrated database each file clones. */
export const TEMPLATE_DB_ENV = 'SIS_TEST_TEMPLATE_DB';

export interface TestDb {
  db: Knex;
  database: DatabaseConfig;
  drop: () => Promise<void>;
}

/** `sis_t_` is what CI's clean-up drops after an interrupted run. */
export function testDbName(kind = ''): string {
  return `sis_t_${kind}${process.pid}_${randomBytes(4).toString('hex')}`;
}

function quoteName(name: string): string {
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`unexpected database or table name: ${name}`);
  return `\`${name}\``;
}

/** One connection to the server, no database chosen. */
export function mysqlAdmin(): Knex {
  return knex({
    client: 'mysql2',
    connection: { uri: MYSQL_SERVER_URL, connectTimeout: 10_000 } as Knex.MySql2ConnectionConfig,
    pool: { min: 0, max: 1 },
    acquireConnectionTimeout: 30_000,
  });
}

export function mysqlDatabaseUrl(name: string): string {
  const url = new URL(MYSQL_SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function createMysqlDatabase(admin: Knex, name: string): Promise<void> {
  await admin.raw(`CREATE DATABASE ${quoteName(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
}

/**
 * Copies the schema and rows of database `from` into the empty database `to`. Tables only: a view,
 * trigger or routine in the template is refused with a clear error rather than silently left out.
 */
export async function cloneMysqlDatabase(admin: Knex, from: string, to: string): Promise<void> {
  const [objects] = await admin.raw(
    `SELECT table_name AS name, table_type AS type FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name`,
    [from],
  );
  const [[others]] = await admin.raw(
    `SELECT (SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_schema = ?) +
            (SELECT COUNT(*) FROM information_schema.routines WHERE routine_schema = ?) AS n`,
    [from, from],
  );
  const tables = (objects as { name: string; type: string }[]).filter((o) => o.type === 'BASE TABLE');
  const unsupported = (objects as { name: string; type: string }[]).filter((o) => o.type !== 'BASE TABLE');
  if (unsupported.length > 0 || Number(others.n) > 0)
    throw new Error(
      `the test template ${from} holds ${unsupported.map((o) => `${o.type} ${o.name}`).join(', ') || 'triggers or routines'}: ` +
        'tests/helpers/test-db.ts clones tables only; teach cloneMysqlDatabase the new kind of object',
    );

  const creates: string[] = [];
  for (const { name } of tables) {
    const [[row]] = await admin.raw(`SHOW CREATE TABLE ${quoteName(from)}.${quoteName(name)}`);
    const sql = row['Create Table'] as string;
    const head = `CREATE TABLE ${quoteName(name)} `;
    if (!sql.startsWith(head)) throw new Error(`unexpected SHOW CREATE TABLE for ${name}: ${sql.slice(0, 60)}`);
    // Unqualified foreign-key targets resolve in the new table's own database.
    creates.push(`CREATE TABLE ${quoteName(to)}.${quoteName(name)} ${sql.slice(head.length)}`);
  }
  // One connection throughout (a transaction pins it): foreign_key_checks is a session setting, off so
  // tables can be made in any order.
  await admin.transaction(async (trx) => {
    await trx.raw('SET SESSION foreign_key_checks = 0');
    try {
      for (const sql of creates) await trx.raw(sql);
      for (const { name } of tables)
        await trx.raw(
          `INSERT INTO ${quoteName(to)}.${quoteName(name)} SELECT * FROM ${quoteName(from)}.${quoteName(name)}`,
        );
    } finally {
      await trx.raw('SET SESSION foreign_key_checks = 1');
    }
  });
}

export async function createTestDb(target: TestTarget = testTarget()): Promise<TestDb> {
  return opening(target === 'sqlite' ? createSqliteTestDb() : createMysqlTestDb());
}

async function createSqliteTestDb(): Promise<TestDb> {
  const database: DatabaseConfig = { client: 'sqlite', filename: ':memory:' };
  const db = createDb(database);
  const drop = track('an in-memory SQLite test database', () => db.destroy());
  try {
    await migrateLatest(db);
  } catch (err) {
    await drop();
    throw err;
  }
  return { db, database, drop };
}

async function createMysqlTestDb(): Promise<TestDb> {
  const name = testDbName();
  const admin = mysqlAdmin();
  const database: DatabaseConfig = { client: 'mysql', url: mysqlDatabaseUrl(name) };
  let db: Knex | undefined;
  const drop = track(`the MySQL test database ${name}`, async () => {
    try {
      await db?.destroy();
      await admin.raw(`DROP DATABASE IF EXISTS ${quoteName(name)}`);
    } finally {
      await admin.destroy();
    }
  });
  try {
    await createMysqlDatabase(admin, name);
    const template = process.env[TEMPLATE_DB_ENV];
    if (template) await cloneMysqlDatabase(admin, template, name);
    db = createDb(database);
    // A no-op on a clone (it checks the template is current); the whole set of migrations without one.
    await migrateLatest(db);
  } catch (err) {
    await drop();
    throw err;
  }
  return { db, database, drop };
}
