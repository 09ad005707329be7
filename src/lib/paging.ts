/** One page of a list, with the figures the pagination links need. */
export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  size: number;
  pages: number;
}

export function pageOf<T>(rows: T[], total: number, query: { page: number; size: number }): Page<T> {
  return { rows, total, page: query.page, size: query.size, pages: Math.max(1, Math.ceil(total / query.size)) };
}
