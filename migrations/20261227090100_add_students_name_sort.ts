// students.name_sort: the name's pinyin sort key (src/db/name-sort.ts), written with the row, so that the
// list sorted by name reads the (archived, name_sort) index in the order people expect (王 among the W's,
// not by code point). Existing rows are filled in batches of ids; the name index it replaces goes.
import type { Knex } from 'knex';
import { NAME_SORT_LENGTH, nameSortKey } from '../src/db/name-sort';

const isMysql = (knex: Knex) => knex.client.config.client === 'mysql2';
const BATCH = 1000;

export async function up(knex: Knex): Promise<void> {
  if (isMysql(knex))
    await knex.raw(
      `alter table students add column name_sort varchar(${NAME_SORT_LENGTH}) character set utf8mb4 collate utf8mb4_bin not null default ''`,
    );
  else
    await knex.schema.alterTable('students', (t) =>
      t.string('name_sort', NAME_SORT_LENGTH).notNullable().defaultTo(''),
    );

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
        name_sort: knex.raw(
          `case id ${cases} end`,
          rows.flatMap((r) => [r.id, nameSortKey(r.name)]),
        ),
      });
    after = Number(rows[rows.length - 1]!.id);
  }

  await knex.schema.alterTable('students', (t) => {
    t.index(['archived', 'name_sort'], 'students_archived_name_sort_index');
    t.dropIndex(['archived', 'name'], 'students_archived_name_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('students', (t) => {
    t.index(['archived', 'name'], 'students_archived_name_index');
    t.dropIndex(['archived', 'name_sort'], 'students_archived_name_sort_index');
  });
  if (isMysql(knex)) await knex.schema.alterTable('students', (t) => t.dropColumn('name_sort'));
  else await knex.raw('alter table ?? drop column ??', ['students', 'name_sort']);
}
