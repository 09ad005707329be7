// The audit log viewer pages newest first by (at, id) under each filter: the actor's name and the entity
// kind get indexes ending in `at` like the others (the actor filter read the whole log before).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_log', (t) => {
    t.index(['actor_username', 'at'], 'audit_log_actor_username_index');
    t.index(['entity', 'at'], 'audit_log_entity_at_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_log', (t) => {
    t.dropIndex(['actor_username', 'at'], 'audit_log_actor_username_index');
    t.dropIndex(['entity', 'at'], 'audit_log_entity_at_index');
  });
}
