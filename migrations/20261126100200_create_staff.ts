import type { Knex } from 'knex';
import { auditTimestamps, tableDefaults } from '../src/db/schema';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('staff', (t) => {
    tableDefaults(knex, t);
    t.increments('id');
    t.string('staff_no', 32).notNullable();
    t.string('name', 100).notNullable();
    t.integer('department_id').unsigned().nullable().references('id').inTable('departments');
    t.string('title', 64).nullable();
    t.string('email', 254).nullable();
    t.string('phone', 32).nullable();
    t.integer('user_id').unsigned().nullable().references('id').inTable('users');
    t.integer('version').unsigned().notNullable().defaultTo(1);
    auditTimestamps(knex, t);
    t.dateTime('deleted_at').nullable();
    t.unique(['staff_no'], { indexName: 'staff_staff_no_unique' });
    t.unique(['user_id'], { indexName: 'staff_user_id_unique' });
    t.index(['department_id'], 'staff_department_index');
    t.index(['name'], 'staff_name_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('staff');
}
