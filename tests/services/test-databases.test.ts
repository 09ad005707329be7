// The services run's own set-up: each file's database is a clone of one migrated template, identical to a
// database migrated from nothing, and hooks get a realistic timeout instead of jest's 5 s.
import fs from 'node:fs';
import type { Knex } from 'knex';
import { createDb, MIGRATIONS_DIR } from '../../src/db/knex';
import { migrateLatest } from '../../src/db/migrate';
import {
  createMysqlDatabase,
  createTestDb,
  mysqlAdmin,
  mysqlDatabaseUrl,
  TEMPLATE_DB_ENV,
  testDbName,
  type TestDb,
} from '../helpers/test-db';

/** Every table as SHOW CREATE TABLE gives it, AUTO_INCREMENT counters aside. */
async function schemaOf(db: Knex): Promise<Record<string, string>> {
  const [tables] = await db.raw(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'",
  );
  const schema: Record<string, string> = {};
  for (const { name } of tables as { name: string }[]) {
    const [[row]] = await db.raw(`SHOW CREATE TABLE \`${name}\``);
    schema[name] = (row['Create Table'] as string).replace(/ AUTO_INCREMENT=\d+/, '');
  }
  return schema;
}

describe('test databases on MariaDB', () => {
  const admin = mysqlAdmin();
  const freshName = testDbName('fresh_');
  let fresh: Knex;
  let clone: TestDb;

  beforeAll(async () => {
    await createMysqlDatabase(admin, freshName);
    fresh = createDb({ client: 'mysql', url: mysqlDatabaseUrl(freshName) });
    await migrateLatest(fresh);
    clone = await createTestDb('mysql');
  });
  afterAll(async () => {
    await clone?.drop();
    await fresh?.destroy();
    await admin.raw(`DROP DATABASE IF EXISTS \`${freshName}\``);
    await admin.destroy();
  });

  it('are cloned from the migrated template the global set-up made', () => {
    expect(process.env[TEMPLATE_DB_ENV]).toMatch(/^sis_t_template_/);
  });

  it('have exactly the schema of a database migrated from nothing: tables, columns, keys, foreign keys', async () => {
    const [mine, reference] = await Promise.all([schemaOf(clone.db), schemaOf(fresh)]);
    expect(Object.keys(mine).sort()).toEqual(Object.keys(reference).sort());
    expect(mine).toEqual(reference);
    expect(Object.values(mine).join('\n')).toContain('FOREIGN KEY');
  });

  it('record every migration as done, so migrateLatest has nothing left to do', async () => {
    const files = fs
      .readdirSync(MIGRATIONS_DIR)
      .filter((f) => f.endsWith('.ts'))
      .sort();
    expect((await clone.db('knex_migrations').orderBy('id').pluck('name')).sort()).toEqual(files);
    expect(await migrateLatest(clone.db)).toEqual([]);
    expect(await clone.db('knex_migrations_lock').first('is_locked')).toEqual({ is_locked: 0 });
  });

  it('enforce foreign keys once cloned', async () => {
    await expect(
      clone.db('users').insert({ username: 'fk-probe', password_hash: 'x', role: 'student', student_id: 999_999 }),
    ).rejects.toMatchObject({ code: 'ER_NO_REFERENCED_ROW_2' });
  });

  it('give hooks and tests a minute (the project testTimeout), not jest default of 5 s', () => {
    expect((globalThis as unknown as Record<symbol, number>)[Symbol.for('TEST_TIMEOUT_SYMBOL')]).toBe(60_000);
  });
});
