// Idempotency keys compare exactly: `Abc-key-1` and `abc-key-1` are two different writes. MySQL's
// table collation (utf8mb4_unicode_ci) folded case, so the second key replayed (or 409'd on) the first;
// SQLite's default BINARY collation was exact already. Keys are ASCII ([A-Za-z0-9_-]), so a binary
// collation changes nothing else.
import type { Knex } from 'knex';

const isMysql = (knex: Knex) => knex.client.config.client === 'mysql2';

export async function up(knex: Knex): Promise<void> {
  if (!isMysql(knex)) return;
  await knex.raw('ALTER TABLE ?? MODIFY ?? VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL', [
    'idempotency_keys',
    'idem_key',
  ]);
}

export async function down(knex: Knex): Promise<void> {
  if (!isMysql(knex)) return;
  // Keys that differ only in case would break the unique key under the folding collation: the stored
  // responses are a 24-hour cache, so the later of such twins is forgotten.
  await knex.raw(
    `DELETE a FROM idempotency_keys a JOIN idempotency_keys b
       ON a.user_id = b.user_id AND a.idem_key COLLATE utf8mb4_unicode_ci = b.idem_key AND a.id > b.id`,
  );
  await knex.raw('ALTER TABLE ?? MODIFY ?? VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL', [
    'idempotency_keys',
    'idem_key',
  ]);
}
