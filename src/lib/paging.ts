import type { SortState } from './sorting';

/** One page of a list, with the figures the pagination links need and the order it is in. */
export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  size: number;
  pages: number;
  /** The order used (after unknown values fell back), for the column headers. */
  sort?: SortState;
  /** False when `total` is a lower bound: the count stopped early (there are more matches). */
  exact?: boolean;
  /** Keyset cursors of the next and previous pages (lib/keyset.ts), for lists that page by keyset. */
  cursors?: { next?: string; prev?: string };
}

/** A page's figures as the JSON lists answer them in `meta`. */
export function pageMeta(page: Pick<Page<unknown>, 'page' | 'size' | 'total' | 'pages'>) {
  return { page: page.page, size: page.size, total: page.total, pages: page.pages };
}

export function pageOf<T>(
  rows: T[],
  total: number,
  query: { page: number; size: number; sort?: string; dir?: SortState['dir'] },
): Page<T> {
  const page: Page<T> = {
    rows,
    total,
    page: query.page,
    size: query.size,
    pages: Math.max(1, Math.ceil(total / query.size)),
  };
  if (query.sort !== undefined) page.sort = { sort: query.sort, dir: query.dir ?? 'asc' };
  return page;
}

/**
 * The JSON list's `next` and `prev` links (paths), as the HTML pagination builds them: the filters kept,
 * the page label, and the keyset cursor when the list has one (page 1 needs none).
 */
export function pageLinks(
  base: string,
  filters: Record<string, string>,
  page: Pick<Page<unknown>, 'page' | 'pages' | 'exact' | 'cursors'> & { rows?: unknown[] },
): { next?: string; prev?: string } {
  const href = (n: number, cursor: Record<string, string>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...filters, page: String(n), ...cursor })) if (v !== '') p.set(k, v);
    return `${base}?${p.toString()}`;
  };
  const links: { next?: string; prev?: string } = {};
  // Past the end there is nothing to page on from (page=1 starts again).
  if (page.rows && page.rows.length === 0) return links;
  const next = page.cursors?.next;
  if (page.page < page.pages) links.next = href(page.page + 1, next ? { after: next } : {});
  const prev = page.cursors?.prev;
  if (page.page > 1) links.prev = href(page.page - 1, page.page > 2 && prev ? { before: prev } : {});
  return links;
}
