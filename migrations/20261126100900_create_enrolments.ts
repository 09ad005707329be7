import type { Knex } from 'knex';
import { auditTimestamps, tableDefaults } from '../src/db/schema';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('enrolments', (t) => {
    tableDefaults(knex, t);
    t.increments('id');
    t.integer('section_id').unsigned().notNullable().references('id').inTable('sections');
    t.integer('student_id').unsigned().notNullable().references('id').inTable('students');
    t.string('status', 16).notNullable(); // enrolled | waitlisted | dropped
    // Waiting-list order: the lowest number is promoted first when a seat frees up.
    t.bigInteger('waitlist_seq').nullable();
    t.boolean('window_override').notNullable().defaultTo(false);
    t.dateTime('enrolled_at').nullable();
    t.dateTime('dropped_at').nullable();
    t.integer('version').unsigned().notNullable().defaultTo(1);
    auditTimestamps(knex, t);
    // One row per student and section, ever: enrolling twice is impossible, re-enrolling reuses it.
    t.unique(['section_id', 'student_id'], { indexName: 'enrolments_section_student_unique' });
    t.index(['student_id', 'status'], 'enrolments_student_status_index');
    t.index(['section_id', 'status', 'waitlist_seq'], 'enrolments_section_status_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('enrolments');
}
