// The request id a caller sent for its own tracing, kept beside the server's own request_id (nginx's
// $request_id or the node's): a caller can no longer choose the id an audit row is traced by.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_log', (t) => {
    t.string('client_request_id', 64).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  // SQLite: its own ALTER TABLE DROP COLUMN (3.35+) instead of knex's copy of the whole table.
  if (knex.client.config.client === 'mysql2') {
    await knex.schema.alterTable('audit_log', (t) => {
      t.dropColumn('client_request_id');
    });
  } else {
    await knex.raw('alter table ?? drop column ??', ['audit_log', 'client_request_id']);
  }
}
