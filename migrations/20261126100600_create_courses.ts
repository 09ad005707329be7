import type { Knex } from 'knex';
import { auditTimestamps, tableDefaults } from '../src/db/schema';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('courses', (t) => {
    tableDefaults(knex, t);
    t.increments('id');
    t.string('code', 16).notNullable();
    t.string('name', 100).notNullable();
    t.decimal('credits', 3, 1).notNullable();
    t.integer('department_id').unsigned().nullable().references('id').inTable('departments');
    t.text('description').nullable();
    t.string('grading', 16).notNullable().defaultTo('score'); // score (0-100) | pass_fail
    t.integer('version').unsigned().notNullable().defaultTo(1);
    auditTimestamps(knex, t);
    t.dateTime('deleted_at').nullable();
    t.unique(['code'], { indexName: 'courses_code_unique' });
    t.index(['department_id'], 'courses_department_index');
    t.index(['name'], 'courses_name_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('courses');
}
