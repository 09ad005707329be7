// Helpers shared by migrations so every table is created the same way on MySQL and SQLite.
import type { Knex } from 'knex';

/** InnoDB with full utf8mb4 on MySQL; SQLite has no such options. */
export function tableDefaults(knex: Knex, table: Knex.CreateTableBuilder): void {
  if (knex.client.config.client === 'mysql2') {
    table.engine('InnoDB');
    table.charset('utf8mb4');
    table.collate('utf8mb4_unicode_ci');
  }
}

/** created_at / updated_at as UTC DATETIME, filled by the application (see db/time.ts). */
export function auditTimestamps(knex: Knex, table: Knex.CreateTableBuilder): void {
  table.dateTime('created_at').notNullable().defaultTo(knex.fn.now());
  table.dateTime('updated_at').notNullable().defaultTo(knex.fn.now());
}

/** Large text for JSON images: MEDIUMTEXT on MySQL (TEXT caps at 64 KB), TEXT on SQLite. */
export function largeText(table: Knex.CreateTableBuilder, name: string): Knex.ColumnBuilder {
  return table.text(name, 'mediumtext');
}
