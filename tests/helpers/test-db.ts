// A fresh, migrated database per test file: in-memory SQLite for `npm test`, or a new MariaDB/MySQL
// database (dropped afterwards) for `npm run test:services`. No service is ever skipped: when the
// target is MySQL and it cannot be reached, the suite fails.
import { randomBytes } from 'node:crypto';
import knex, { type Knex } from 'knex';
import type { DatabaseConfig } from '../../src/config';
import { createDb } from '../../src/db/knex';
import { migrateLatest } from '../../src/db/migrate';

export type TestTarget = 'sqlite' | 'mysql';

export function testTarget(): TestTarget {
  return (globalThis as { TEST_TARGET?: TestTarget }).TEST_TARGET ?? 'sqlite';
}

export const MYSQL_SERVER_URL = process.env.DATABASE_URL || 'mysql://root@127.0.0.1:3306/test';
export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

export interface TestDb {
  db: Knex;
  database: DatabaseConfig;
  drop: () => Promise<void>;
}

export async function createTestDb(target: TestTarget = testTarget()): Promise<TestDb> {
  if (target === 'sqlite') {
    const database: DatabaseConfig = { client: 'sqlite', filename: ':memory:' };
    const db = createDb(database);
    await migrateLatest(db);
    return { db, database, drop: () => db.destroy() };
  }

  const name = `sis_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = knex({
    client: 'mysql2',
    connection: { uri: MYSQL_SERVER_URL } as Knex.MySql2ConnectionConfig,
    pool: { min: 0, max: 1 },
  });
  await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const url = new URL(MYSQL_SERVER_URL);
  url.pathname = `/${name}`;
  const database: DatabaseConfig = { client: 'mysql', url: url.toString() };
  const db = createDb(database);
  await migrateLatest(db);
  return {
    db,
    database,
    drop: async () => {
      await db.destroy();
      await admin.raw(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.destroy();
    },
  };
}
