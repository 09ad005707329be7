// The official English names of courses, schools (departments) and majors, shown when the page is in
// English (the transcript students send abroad); `name` stays the Chinese name of record.
import type { Knex } from 'knex';

const TABLES = ['courses', 'departments', 'majors'] as const;

export async function up(knex: Knex): Promise<void> {
  for (const table of TABLES) {
    await knex.schema.alterTable(table, (t) => {
      t.string('name_en', 200).nullable();
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [...TABLES].reverse()) {
    // SQLite: its own ALTER TABLE DROP COLUMN (3.35+). knex would copy and drop the whole table
    // instead, which the foreign keys of majors, classes and courses refuse.
    if (knex.client.config.client === 'mysql2') {
      await knex.schema.alterTable(table, (t) => {
        t.dropColumn('name_en');
      });
    } else {
      await knex.raw('alter table ?? drop column ??', [table, 'name_en']);
    }
  }
}
