import type { Knex } from 'knex';
import { largeText, tableDefaults } from '../src/db/schema';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (t) => {
    tableDefaults(knex, t);
    t.bigIncrements('id');
    t.integer('actor_id').unsigned().nullable();
    t.string('actor_username', 64).nullable();
    t.string('action', 32).notNullable();
    t.string('entity', 32).notNullable();
    t.string('entity_id', 64).nullable();
    largeText(t, 'before_json').nullable();
    largeText(t, 'after_json').nullable();
    t.string('node_id', 64).notNullable();
    t.string('request_id', 64).nullable();
    t.dateTime('at').notNullable();

    t.index(['entity', 'entity_id', 'at'], 'audit_log_entity_index');
    t.index(['actor_id', 'at'], 'audit_log_actor_index');
    t.index(['action', 'at'], 'audit_log_action_index');
    t.index(['at'], 'audit_log_at_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_log');
}
