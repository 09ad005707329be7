// Keyset pages: a list's next/previous links carry the sort value and id of the row they continue from
// (`after` / `before`), so a deep page reads one index range from that row instead of skipping an OFFSET
// of rows. The cursor names the order it belongs to; under another order it is ignored (page 1 again).
import type { Knex } from 'knex';
import { z } from 'zod';
import type { SortDir } from './sorting';

export interface Keyset {
  sort: string;
  dir: SortDir;
  value: string | number;
  id: number;
}

export function encodeCursor(key: Keyset): string {
  return Buffer.from(JSON.stringify([key.sort, key.dir, key.value, key.id])).toString('base64url');
}

export function decodeCursor(text: string): Keyset | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 4) return undefined;
    const [sort, dir, value, id] = parsed as unknown[];
    if (typeof sort !== 'string' || (dir !== 'asc' && dir !== 'desc')) return undefined;
    if (typeof value !== 'string' && typeof value !== 'number') return undefined;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return undefined;
    return { sort, dir, value, id };
  } catch {
    return undefined;
  }
}

/** `?after=` / `?before=`: blank is none; one that does not decode is a 422 on the field. */
export const cursorField = z.preprocess(
  (v) => (v === undefined || v === null || v === '' ? undefined : v),
  z
    .string()
    .max(600, { error: 'validation.invalid' })
    .transform((s, ctx) => {
      const key = decodeCursor(s);
      if (!key) ctx.addIssue({ code: 'custom', message: 'validation.invalid' });
      return key ?? z.NEVER;
    })
    .optional(),
);

export const cursorFields = () => ({ after: cursorField, before: cursorField });

/** The cursor of a query that belongs to its current order, if any: `after` wins over `before`. */
export function usableCursor(query: {
  sort: string;
  dir: SortDir;
  after?: Keyset;
  before?: Keyset;
}): { key: Keyset; backwards: boolean } | undefined {
  const fits = (k?: Keyset) => k !== undefined && k.sort === query.sort && k.dir === query.dir;
  if (fits(query.after)) return { key: query.after!, backwards: false };
  if (fits(query.before)) return { key: query.before!, backwards: true };
  return undefined;
}

/**
 * Rows past `key` in the order (column, id) `dir`: `column >= v and (column > v or id > k)` (flipped for
 * desc), the first half an index range on both dialects. `inclusive` keeps the key row itself.
 */
export function whereKeyset(
  builder: Knex.QueryBuilder,
  column: string,
  idColumn: string,
  dir: SortDir,
  key: { value: string | number; id: number },
  inclusive = false,
): void {
  const [op, strict] = dir === 'asc' ? ['>=', '>'] : ['<=', '<'];
  const idOp = inclusive ? op : strict;
  builder.where(column, op, key.value).andWhere((w) => {
    w.where(column, strict, key.value).orWhere(idColumn, idOp, key.id);
  });
}

export const flip = (dir: SortDir): SortDir => (dir === 'asc' ? 'desc' : 'asc');

/** Where a batch ends: its last row's sort value and id. */
export type BatchKey = Pick<Keyset, 'value' | 'id'>;

/**
 * Every row of an ordered result, `size` at a time, each batch read by `read` from the key where the last
 * one ended (whereKeyset): an index range per batch, never an OFFSET, and never the whole result at once.
 */
export async function* inBatches<T, K = BatchKey>(
  read: (after: K | undefined, limit: number) => Promise<T[]>,
  keyOf: (row: T) => K,
  size: number,
): AsyncGenerator<T[], void, undefined> {
  let after: K | undefined;
  for (;;) {
    const rows = await read(after, size);
    if (rows.length > 0) yield rows;
    if (rows.length < size) return;
    after = keyOf(rows[rows.length - 1]!);
  }
}
