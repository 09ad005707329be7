// Services run, once before any file: one database migrated to the latest schema, which every file's
// createTestDb clones (test-db.ts). Its name travels to the test files in the environment.
import { createDb } from '../../src/db/knex';
import { migrateLatest } from '../../src/db/migrate';
import {
  createMysqlDatabase,
  MYSQL_SERVER_URL,
  mysqlAdmin,
  mysqlDatabaseUrl,
  TEMPLATE_DB_ENV,
  testDbName,
} from './test-db';

export default async function servicesGlobalSetup(): Promise<void> {
  const name = testDbName('template_');
  const admin = mysqlAdmin();
  try {
    await createMysqlDatabase(admin, name);
    const db = createDb({ client: 'mysql', url: mysqlDatabaseUrl(name) });
    try {
      await migrateLatest(db);
    } finally {
      await db.destroy();
    }
    process.env[TEMPLATE_DB_ENV] = name;
  } catch (err) {
    await admin.raw(`DROP DATABASE IF EXISTS \`${name}\``).catch(() => undefined);
    throw new Error(`could not make the migrated template database on ${MYSQL_SERVER_URL}: ${(err as Error).message}`);
  } finally {
    await admin.destroy();
  }
}
