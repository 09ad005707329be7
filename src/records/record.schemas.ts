// The zod pieces every record shares: the version an edit was based on, and a list's search and paging.
import { z } from 'zod';
import { queryInt, requiredInt } from '../lib/schema-helpers';
import { sortFields } from '../lib/sorting';

export const versionSchema = z.object({
  version: requiredInt(1, 2_147_483_647, 'validation.version'),
});

/** A search box's text: trimmed, at most 100 characters. */
export const searchText = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim() : ''),
  z.string().max(100, { error: 'validation.too_long' }),
);

/** `?archived=1`: the archived records instead of the active ones. */
export const archivedFlag = z.preprocess((v) => v === '1' || v === 'true', z.boolean());

/** `?page=&size=`, with the list's own default and largest page size. */
export const paging = (defaultSize = 20, maxSize = 100) => ({
  page: queryInt(1, 1, 1_000_000),
  size: queryInt(defaultSize, 1, maxSize),
});

/** A record list's query: search, archived, its own sortable columns (unknown ones fall back), paging. */
export function listQuerySchema(shape: { orderBy: string; sortable: readonly [string, ...string[]] }) {
  return z.object({
    q: searchText,
    archived: archivedFlag,
    ...sortFields({ columns: shape.sortable, fallback: shape.orderBy }),
    ...paging(),
  });
}
