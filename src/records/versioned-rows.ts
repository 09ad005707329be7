// The SQL every versioned record table shares: an insert at version 1, an optimistic update guarded by
// the version (UPDATE ... WHERE id = ? AND version = ?), and archive/restore through deleted_at. Each
// bumps the version and updated_at; `extra` carries a table's own audit columns (updated_by).
import type { Knex } from 'knex';
import { sqlNow } from '../lib/time';

type Columns = Record<string, unknown>;

export async function insertVersioned(trx: Knex, table: string, columns: Columns): Promise<number> {
  const now = sqlNow();
  const [id] = await trx(table).insert({ ...columns, version: 1, created_at: now, updated_at: now });
  return Number(id);
}

/** Only when the row is still at `version` (and, where the table archives, active): 0 or 1 rows changed. */
export function updateIfVersion(
  trx: Knex,
  table: string,
  id: number,
  version: number,
  columns: Columns,
  options: { archivable?: boolean } = {},
): Promise<number> {
  return trx(table)
    .where({ id, version })
    .modify((q) => (options.archivable === false ? q : q.whereNull('deleted_at')))
    .update({ ...columns, version: trx.raw('version + 1'), updated_at: sqlNow() });
}

/** Archives an active row or restores an archived one: 0 when it already was. */
export function setArchived(trx: Knex, table: string, id: number, archived: boolean, extra: Columns = {}) {
  const now = sqlNow();
  return trx(table)
    .where({ id })
    .modify((q) => (archived ? q.whereNull('deleted_at') : q.whereNotNull('deleted_at')))
    .update({ ...extra, deleted_at: archived ? now : null, version: trx.raw('version + 1'), updated_at: now });
}
