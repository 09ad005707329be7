// students.name_sort: the name's pinyin sort key (src/db/name-sort.ts), written with the row, so that the
// list sorted by name reads the (archived, name_sort) index in the order people expect (王 among the W's,
// not by code point). Existing rows are filled in batches of ids; the name index it replaces goes.
import type { Knex } from 'knex';
import { backfillColumn } from '../src/db/backfill';
import { isMysql } from '../src/db/knex';
import { NAME_SORT_LENGTH, nameSortKey } from '../src/db/name-sort';

export async function up(knex: Knex): Promise<void> {
  if (isMysql(knex))
    await knex.raw(
      `alter table students add column name_sort varchar(${NAME_SORT_LENGTH}) character set utf8mb4 collate utf8mb4_bin not null default ''`,
    );
  else
    await knex.schema.alterTable('students', (t) =>
      t.string('name_sort', NAME_SORT_LENGTH).notNullable().defaultTo(''),
    );

  await backfillColumn(knex, 'students', 'name_sort', 'name', nameSortKey);

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
