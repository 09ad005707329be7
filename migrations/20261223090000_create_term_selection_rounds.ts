// Course selection in rounds: a term's window for one enrolment year (year group), where it differs from
// the term's own window. One round per term and year.
import type { Knex } from 'knex';
import { auditTimestamps, tableDefaults } from '../src/db/schema';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('term_selection_rounds', (t) => {
    tableDefaults(knex, t);
    t.increments('id');
    t.integer('term_id').unsigned().notNullable().references('id').inTable('terms');
    t.integer('enrolment_year').notNullable();
    t.dateTime('opens_at').notNullable();
    t.dateTime('closes_at').notNullable();
    auditTimestamps(knex, t);
    t.unique(['term_id', 'enrolment_year'], { indexName: 'term_selection_rounds_term_year_unique' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('term_selection_rounds');
}
