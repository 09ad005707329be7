import type { Knex } from 'knex';
import { auditTimestamps, tableDefaults } from '../src/db/schema';

/** Administrative classes (行政班): a cohort of one major and entry year, with an adviser. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('classes', (t) => {
    tableDefaults(knex, t);
    t.increments('id');
    t.string('code', 32).notNullable();
    t.string('name', 100).notNullable();
    t.integer('major_id').unsigned().notNullable().references('id').inTable('majors');
    t.integer('entry_year').notNullable();
    t.integer('adviser_staff_id').unsigned().nullable().references('id').inTable('staff');
    t.integer('version').unsigned().notNullable().defaultTo(1);
    auditTimestamps(knex, t);
    t.dateTime('deleted_at').nullable();
    t.unique(['code'], { indexName: 'classes_code_unique' });
    t.index(['major_id', 'entry_year'], 'classes_major_year_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('classes');
}
