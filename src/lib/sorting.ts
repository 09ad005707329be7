// Sortable lists: `sort` and `dir` read from the query against a whitelist of column names, and the
// ORDER BY built only from the SQL the list itself declares for each name (never from the query).
import type { Knex } from 'knex';
import { z } from 'zod';
import { pickValues } from './pick-values';

export const SORT_DIRECTIONS = ['asc', 'desc'] as const;
export type SortDir = (typeof SORT_DIRECTIONS)[number];

export interface SortState<C extends string = string> {
  sort: C;
  dir: SortDir;
}

/**
 * What a list may be ordered by: each allowed name maps to the SQL that orders it, a column
 * (`'c.code'`), several columns (`['c.code', 's.section_no']`), or an expression (`{ raw: '...' }`).
 * Expressions are written by us, never by the query; under MySQL's ONLY_FULL_GROUP_BY they must be
 * selected, grouped or computed from the grouped columns of the list's query.
 */
export type SortColumns<C extends string> = Readonly<Record<C, string | readonly string[] | { raw: string }>>;

export interface SortOptions<C extends string> {
  columns: readonly [C, ...C[]];
  /** The order when the query names none, or one not allowed. */
  fallback: C;
  fallbackDir?: SortDir;
  /**
   * `strict`: an unknown name or direction is a 422 naming the field (the students' API has always
   * answered so). Otherwise it quietly falls back to the default order: an old bookmark still opens.
   */
  strict?: boolean;
}

const blank = (v: unknown) => v === undefined || v === null || v === '';

/** The zod fields `sort` and `dir` of a list's query schema. */
export function sortFields<C extends string>(options: SortOptions<C>) {
  const { columns, fallback, fallbackDir = 'asc', strict = false } = options;
  const allowed = (v: unknown): v is C => typeof v === 'string' && (columns as readonly string[]).includes(v);
  const allowedDir = (v: unknown): v is SortDir => v === 'asc' || v === 'desc';
  const sort = z.preprocess(
    (v) => (blank(v) ? fallback : strict || allowed(v) ? v : fallback),
    z.enum(columns as unknown as [C, ...C[]], { error: 'validation.invalid' }),
  );
  const dir = z.preprocess(
    (v) => (blank(v) ? fallbackDir : strict || allowedDir(v) ? v : fallbackDir),
    z.enum(SORT_DIRECTIONS, { error: 'validation.invalid' }),
  );
  return { sort, dir };
}

/**
 * Orders `builder` by the chosen column, then by `tiebreak` (a unique column, `id`) in the same
 * direction, so rows that tie never swap places between pages.
 */
export function orderBySort<B extends Knex.QueryBuilder, C extends string>(
  builder: B,
  state: SortState<C>,
  columns: SortColumns<C>,
  tiebreak = 'id',
): B {
  // Both values come from the whitelist above; re-checked because the SQL text is built from them.
  const sql: string | readonly string[] | { raw: string } | undefined = Object.prototype.hasOwnProperty.call(
    columns,
    state.sort,
  )
    ? columns[state.sort]
    : undefined;
  if (sql === undefined) throw new Error(`not a sortable column: ${String(state.sort)}`);
  const dir: SortDir = state.dir === 'desc' ? 'desc' : 'asc';
  if (typeof sql === 'string') builder.orderBy(sql, dir);
  else if (Array.isArray(sql)) for (const column of sql as readonly string[]) builder.orderBy(column, dir);
  else builder.orderByRaw(`${(sql as { raw: string }).raw} ${dir}`);
  // A unique sort column is its own tiebreak (MariaDB walks a unique index for `username` but not for
  // `username, id`: it does not extend a unique key with the primary key).
  if (tiebreak !== sql) builder.orderBy(tiebreak, dir);
  return builder;
}

/**
 * The query values a list's links keep (filters, sort, size; never the page), with `sort` and `dir`
 * replaced by the order actually used, so a link never repeats a value that was ignored.
 */
export function keptFilters(query: unknown, keep: readonly string[], state?: SortState): Record<string, string> {
  const values = pickValues(query, keep);
  if (state && values.sort !== undefined) values.sort = state.sort;
  if (state && values.dir !== undefined) values.dir = state.dir;
  return values;
}
