// students.archived: 0/1 beside deleted_at (set with it by the repository's archive and restore), so the
// list's indexes start with one value for each half. `deleted_at IS NOT NULL` is a range: under it no
// index holds the archived students in number or name order, and each page sorted every archived row.
import type { Knex } from 'knex';

import { isMysql } from '../src/db/knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('students', (t) => t.tinyint('archived').notNullable().defaultTo(0));
  await knex('students').whereNotNull('deleted_at').update({ archived: 1 });
}

export async function down(knex: Knex): Promise<void> {
  // SQLite: its own ALTER TABLE DROP COLUMN (3.35+); knex would copy and drop the whole table, which the
  // foreign keys of enrolments and users refuse.
  if (isMysql(knex)) await knex.schema.alterTable('students', (t) => t.dropColumn('archived'));
  else await knex.raw('alter table ?? drop column ??', ['students', 'archived']);
}
