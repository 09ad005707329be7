// The answers of a named record's writes (students, courses): saved, and archive/restore toggles where
// doing it twice says so ("already archived") instead of "done".
import type { WriteOutcome } from './idempotent-write';

interface NamedRecord {
  id: number;
  name: string;
  name_en?: string | null;
}

/** The record's name for a flash message, with its English name when it has one (see i18n/i18n.ts). */
export const nameParams = (name: string, nameEn?: string | null): Record<string, string> =>
  nameEn ? { name, name_en: nameEn } : { name };

export function recordOutcomes<R extends NamedRecord>(base: string, toJson: (row: R) => unknown) {
  return {
    saved:
      (status: number, key: string) =>
      (row: R): WriteOutcome => ({
        status,
        location: `${base}/${row.id}`,
        body: { data: toJson(row) },
        flash: { type: 'success', key, params: nameParams(row.name, row.name_en) },
      }),
    toggled:
      (location: (row: R) => string, done: string, noop: string) =>
      ({ row, changed }: { row: R; changed: boolean }): WriteOutcome => ({
        status: 200,
        location: location(row),
        body: { data: toJson(row) },
        flash: {
          type: changed ? 'success' : 'info',
          key: changed ? done : noop,
          params: nameParams(row.name, row.name_en),
        },
      }),
  };
}
