// Usernames compare exactly on MySQL too. Under utf8mb4_unicode_ci 'stäff', 'ｓｔａｆｆ' and 'staﬀ' all
// equal 'staff', so a sign-in under any of them reached the staff account with a limiter budget of its
// own. Usernames are lower-case ASCII (admin/users.schemas.ts), so the binary collation changes nothing
// else; SQLite's '=' is already exact.
import type { Knex } from 'knex';

const isMysql = (knex: Knex) => knex.client.config.client === 'mysql2';

export async function up(knex: Knex): Promise<void> {
  if (!isMysql(knex)) return;
  await knex.raw('alter table users modify username varchar(64) character set utf8mb4 collate utf8mb4_bin not null');
}

export async function down(knex: Knex): Promise<void> {
  if (!isMysql(knex)) return;
  await knex.raw(
    'alter table users modify username varchar(64) character set utf8mb4 collate utf8mb4_unicode_ci not null',
  );
}
