// students.name_key: the name folded for search (db/name-grams.ts nameKey), written with the row,
// so a long search checks its candidates against it with a byte-exact LIKE. Existing rows are filled in
// batches of ids.
import type { Knex } from 'knex';
import { backfillColumn } from '../src/db/backfill';
import { isMysql } from '../src/db/knex';
import { nameKey } from '../src/db/name-grams';

export async function up(knex: Knex): Promise<void> {
  if (isMysql(knex))
    await knex.raw(
      "alter table students add column name_key varchar(800) character set utf8mb4 collate utf8mb4_bin not null default ''",
    );
  else await knex.schema.alterTable('students', (t) => t.string('name_key', 800).notNullable().defaultTo(''));

  await backfillColumn(knex, 'students', 'name_key', 'name', nameKey);
}

export async function down(knex: Knex): Promise<void> {
  // SQLite: its own ALTER TABLE DROP COLUMN (3.35+); knex would copy and drop the whole table, which the
  // foreign keys of enrolments and users refuse.
  if (isMysql(knex)) await knex.schema.alterTable('students', (t) => t.dropColumn('name_key'));
  else await knex.raw('alter table ?? drop column ??', ['students', 'name_key']);
}
