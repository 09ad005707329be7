// Which sign-ins still count: a session remembers the account's session_version at sign-in, and a
// password change, an administrator's reset or a deactivation raises it, so every other session of that
// account ends at once on every node (loadUser compares the two on each request).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.integer('session_version').unsigned().notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  // SQLite: its own ALTER TABLE DROP COLUMN (3.35+) rather than knex's copy of the whole table, which the
  // foreign keys pointing at users would refuse.
  if (knex.client.config.client === 'mysql2') {
    await knex.schema.alterTable('users', (t) => {
      t.dropColumn('session_version');
    });
  } else {
    await knex.raw('alter table ?? drop column ??', ['users', 'session_version']);
  }
}
