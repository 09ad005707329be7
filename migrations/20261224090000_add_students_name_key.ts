// students.name_key: the name folded for search (db/name-grams.ts nameKey), written with the row,
// so a long search checks its candidates against it with a byte-exact LIKE. Existing rows are filled in
// batches of ids.
import type { Knex } from 'knex';
import { nameKey } from '../src/db/name-grams';

const isMysql = (knex: Knex) => knex.client.config.client === 'mysql2';
const BATCH = 1000;

export async function up(knex: Knex): Promise<void> {
  if (isMysql(knex))
    await knex.raw(
      "alter table students add column name_key varchar(800) character set utf8mb4 collate utf8mb4_bin not null default ''",
    );
  else await knex.schema.alterTable('students', (t) => t.string('name_key', 800).notNullable().defaultTo(''));

  for (let after = 0; ;) {
    const rows: { id: number; name: string }[] = await knex('students')
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .select('id', 'name');
    if (rows.length === 0) break;
    const cases = rows.map(() => 'when ? then ?').join(' ');
    await knex('students')
      .whereIn(
        'id',
        rows.map((r) => r.id),
      )
      .update({
        name_key: knex.raw(
          `case id ${cases} end`,
          rows.flatMap((r) => [r.id, nameKey(r.name)]),
        ),
      });
    after = Number(rows[rows.length - 1]!.id);
  }
}

export async function down(knex: Knex): Promise<void> {
  // SQLite: its own ALTER TABLE DROP COLUMN (3.35+); knex would copy and drop the whole table, which the
  // foreign keys of enrolments and users refuse.
  if (isMysql(knex)) await knex.schema.alterTable('students', (t) => t.dropColumn('name_key'));
  else await knex.raw('alter table ?? drop column ??', ['students', 'name_key']);
}
