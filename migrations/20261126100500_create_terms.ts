import type { Knex } from 'knex';
import { auditTimestamps, tableDefaults } from '../src/db/schema';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('terms', (t) => {
    tableDefaults(knex, t);
    t.increments('id');
    t.string('code', 16).notNullable(); // e.g. 2026-2027-1
    t.string('academic_year', 9).notNullable(); // e.g. 2026-2027
    t.integer('semester').notNullable(); // 1 autumn, 2 spring, 3 summer
    t.string('name', 100).notNullable();
    // 1 for the one current term, NULL for all others: a unique key then allows one current term
    // on MySQL and SQLite alike (both allow many NULLs), where a partial index is not portable.
    t.integer('current_marker').nullable();
    t.date('starts_on').notNullable();
    t.date('ends_on').notNullable();
    t.dateTime('selection_opens_at').nullable();
    t.dateTime('selection_closes_at').nullable();
    t.integer('version').unsigned().notNullable().defaultTo(1);
    auditTimestamps(knex, t);
    t.unique(['code'], { indexName: 'terms_code_unique' });
    t.unique(['current_marker'], { indexName: 'terms_current_unique' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('terms');
}
