import type { Knex } from 'knex';
import { auditTimestamps, tableDefaults } from '../src/db/schema';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sections', (t) => {
    tableDefaults(knex, t);
    t.increments('id');
    t.integer('course_id').unsigned().notNullable().references('id').inTable('courses');
    t.integer('term_id').unsigned().notNullable().references('id').inTable('terms');
    t.string('section_no', 8).notNullable();
    t.integer('teacher_staff_id').unsigned().nullable().references('id').inTable('staff');
    t.integer('capacity').unsigned().notNullable();
    // Seats taken, kept by a guarded update (enrolled_count < capacity) in the enrolment transaction.
    t.integer('enrolled_count').unsigned().notNullable().defaultTo(0);
    t.string('room', 32).nullable();
    t.string('status', 16).notNullable().defaultTo('open'); // open | closed
    t.dateTime('grades_locked_at').nullable();
    t.integer('version').unsigned().notNullable().defaultTo(1);
    auditTimestamps(knex, t);
    t.dateTime('deleted_at').nullable();
    t.unique(['term_id', 'course_id', 'section_no'], { indexName: 'sections_term_course_no_unique' });
    t.index(['course_id'], 'sections_course_index');
    t.index(['teacher_staff_id'], 'sections_teacher_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sections');
}
