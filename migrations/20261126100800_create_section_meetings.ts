import type { Knex } from 'knex';
import { tableDefaults } from '../src/db/schema';

/** When a section meets: weekday and a range of class periods, so timetable clashes can be found. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('section_meetings', (t) => {
    tableDefaults(knex, t);
    t.increments('id');
    t.integer('section_id').unsigned().notNullable().references('id').inTable('sections').onDelete('CASCADE');
    t.integer('day_of_week').notNullable(); // 1 Monday .. 7 Sunday
    t.integer('start_period').notNullable(); // 1..12
    t.integer('end_period').notNullable(); // inclusive, >= start_period
    t.index(['section_id'], 'section_meetings_section_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('section_meetings');
}
