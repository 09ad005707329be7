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
