import type { Knex } from 'knex';
import { auditTimestamps, tableDefaults } from '../src/db/schema';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('grades', (t) => {
    tableDefaults(knex, t);
    t.increments('id');
    t.integer('enrolment_id').unsigned().notNullable().references('id').inTable('enrolments');
    t.decimal('score', 4, 1).nullable(); // 0.0-100.0 for scored courses
    t.boolean('passed').nullable(); // for pass/fail courses
    t.integer('version').unsigned().notNullable().defaultTo(1);
    auditTimestamps(knex, t);
    t.integer('updated_by').unsigned().nullable();
    t.unique(['enrolment_id'], { indexName: 'grades_enrolment_unique' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('grades');
}
