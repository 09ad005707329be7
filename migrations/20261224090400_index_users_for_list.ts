// The admin's account list reads a page in its sort order from an index: by role within a role filter,
// by last sign-in, by active (username and role have theirs already).
import type { Knex } from 'knex';

const INDEXES: [string, string[]][] = [
  ['users_role_username_index', ['role', 'username']],
  ['users_last_login_index', ['last_login_at']],
  ['users_active_index', ['active']],
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    for (const [name, columns] of INDEXES) t.index(columns, name);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    for (const [name, columns] of INDEXES) t.dropIndex(columns, name);
  });
}
