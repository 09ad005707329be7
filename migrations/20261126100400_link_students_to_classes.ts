import type { Knex } from 'knex';

// SQLite adds or drops a foreign key by rebuilding the table, which it refuses while other tables'
// foreign keys point at it and enforcement is on; the pragma only changes outside a transaction.
export const config = { transaction: false };

async function withoutSqliteForeignKeys(knex: Knex, work: () => Promise<void>): Promise<void> {
  const sqlite = knex.client.config.client !== 'mysql2';
  if (sqlite) await knex.raw('PRAGMA foreign_keys = OFF');
  try {
    await work();
  } finally {
    if (sqlite) await knex.raw('PRAGMA foreign_keys = ON');
  }
}

export async function up(knex: Knex): Promise<void> {
  await withoutSqliteForeignKeys(knex, () =>
    knex.schema.alterTable('students', (t) => {
      t.foreign('class_id', 'students_class_id_foreign').references('id').inTable('classes');
    }),
  );
}

export async function down(knex: Knex): Promise<void> {
  await withoutSqliteForeignKeys(knex, () =>
    knex.schema.alterTable('students', (t) => {
      t.dropForeign(['class_id'], 'students_class_id_foreign');
    }),
  );
}
