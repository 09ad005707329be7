import type { Knex } from 'knex';
import { auditTimestamps, tableDefaults } from '../src/db/schema';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('students', (t) => {
    tableDefaults(knex, t);
    t.increments('id');
    t.string('student_no', 32).notNullable();
    t.string('name', 100).notNullable();
    t.string('gender', 8).notNullable();
    t.date('birth_date').nullable();
    t.string('email', 254).nullable();
    t.string('phone', 32).nullable();
    t.string('address', 255).nullable();
    t.integer('enrolment_year').notNullable();
    t.string('status', 16).notNullable().defaultTo('enrolled');
    t.integer('class_id').unsigned().nullable();
    t.integer('version').unsigned().notNullable().defaultTo(1);
    auditTimestamps(knex, t);
    t.integer('created_by').unsigned().nullable();
    t.integer('updated_by').unsigned().nullable();
    t.dateTime('deleted_at').nullable();

    t.unique(['student_no'], { indexName: 'students_student_no_unique' });
    t.index(['name'], 'students_name_index');
    t.index(['status', 'enrolment_year'], 'students_status_year_index');
    t.index(['enrolment_year'], 'students_year_index');
    t.index(['deleted_at', 'student_no'], 'students_deleted_student_no_index');
    t.index(['class_id'], 'students_class_id_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('students');
}
