import type { Knex } from 'knex';
import { auditTimestamps, tableDefaults } from '../src/db/schema';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    tableDefaults(knex, t);
    t.increments('id');
    t.string('username', 64).notNullable();
    t.string('password_hash', 255).notNullable();
    t.string('role', 16).notNullable();
    t.integer('student_id').unsigned().nullable().references('id').inTable('students');
    t.boolean('active').notNullable().defaultTo(true);
    t.boolean('must_change_password').notNullable().defaultTo(false);
    t.dateTime('last_login_at').nullable();
    t.integer('version').unsigned().notNullable().defaultTo(1);
    auditTimestamps(knex, t);

    t.unique(['username'], { indexName: 'users_username_unique' });
    t.unique(['student_id'], { indexName: 'users_student_id_unique' });
    t.index(['role'], 'users_role_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('users');
}
