import type { Knex } from 'knex';
import { auditTimestamps, tableDefaults } from '../src/db/schema';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('departments', (t) => {
    tableDefaults(knex, t);
    t.increments('id');
    t.string('code', 16).notNullable();
    t.string('name', 100).notNullable();
    t.integer('version').unsigned().notNullable().defaultTo(1);
    auditTimestamps(knex, t);
    t.dateTime('deleted_at').nullable();
    t.unique(['code'], { indexName: 'departments_code_unique' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('departments');
}
