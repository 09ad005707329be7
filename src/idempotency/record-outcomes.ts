// The answers of a named record's writes (students, courses): saved, and archive/restore toggles where
// doing it twice says so ("already archived") instead of "done".
import type { WriteOutcome } from './idempotent-write';

interface NamedRecord {
  id: number;
  name: string;
}

export function recordOutcomes<R extends NamedRecord>(base: string, toJson: (row: R) => unknown) {
  return {
    saved:
      (status: number, key: string) =>
      (row: R): WriteOutcome => ({
        status,
        location: `${base}/${row.id}`,
        body: { data: toJson(row) },
        flash: { type: 'success', key, params: { name: row.name } },
      }),
    toggled:
      (location: (row: R) => string, done: string, noop: string) =>
      ({ row, changed }: { row: R; changed: boolean }): WriteOutcome => ({
        status: 200,
        location: location(row),
        body: { data: toJson(row) },
        flash: { type: changed ? 'success' : 'info', key: changed ? done : noop, params: { name: row.name } },
      }),
  };
}
