import type { Knex } from 'knex';
import { largeText, tableDefaults } from '../src/db/schema';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('idempotency_keys', (t) => {
    tableDefaults(knex, t);
    t.bigIncrements('id');
    t.integer('user_id').unsigned().notNullable();
    t.string('idem_key', 64).notNullable();
    t.string('method', 8).notNullable();
    t.string('path', 255).notNullable();
    t.string('fingerprint', 64).notNullable();
    t.integer('status_code').notNullable();
    t.string('location', 255).nullable();
    largeText(t, 'body_json').nullable();
    t.dateTime('created_at').notNullable();

    t.unique(['user_id', 'idem_key'], { indexName: 'idempotency_keys_user_key_unique' });
    t.index(['created_at'], 'idempotency_keys_created_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('idempotency_keys');
}
