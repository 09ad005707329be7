import type { BaseRow } from './records.repository';

/** A record's JSON shape: its id, the named columns, then version, archived and the timestamps. */
export function recordJson<Row extends BaseRow>(row: Row, columns: readonly (keyof Row & string)[]) {
  return {
    id: row.id,
    ...Object.fromEntries(columns.map((c) => [c, row[c] ?? null])),
    version: row.version,
    archived: row.deleted_at !== null && row.deleted_at !== undefined,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
