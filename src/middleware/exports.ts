// The download routes of a list: GET `<path>.csv` and `<path>.xlsx`, behind the list's own guard, the
// file named after what it holds and the day (in the university's zone) it was taken.
import type { Request, RequestHandler, Response, Router } from 'express';
import type { TFunction } from 'i18next';
import type { Formatter } from '../i18n/format';
import { EXPORT_FORMATS, type ExportSpec, exportFilename, sendExport } from '../lib/export';

/** An export as a route describes it: the file name's parts ("students"; "roster", "CS101-A"), the rest as sendExport takes it. */
export type ExportRequest<T> = Omit<ExportSpec<T>, 'filename'> & { name: readonly string[] };

const formatterOf = (res: Response) => res.locals.fmt as Formatter;

export function mountExports<T>(
  router: Router,
  path: string,
  guard: RequestHandler,
  /** `fmt`: the reader's formatter (language and the university's zone). */
  describe: (req: Request, fmt: Formatter) => Promise<ExportRequest<T>> | ExportRequest<T>,
): void {
  for (const format of EXPORT_FORMATS) {
    router.get(`${path}.${format}`, guard, async (req, res) => {
      const fmt = formatterOf(res);
      const { name, ...spec } = await describe(req, fmt);
      const day = fmt.isoDate(new Date());
      await sendExport(res, format, { ...spec, filename: exportFilename(name, day) });
    });
  }
}

/** A page's link to a download, as views/partials/action-links.ejs draws it. */
export interface ExportAction {
  href: string;
  label: string;
  icon: string;
}

/** Query values an export has no use for: it always holds every match, from the first. */
const NOT_EXPORTED = new Set(['page', 'size', 'after', 'before']);

/** The "Export CSV" / "Export Excel" links of a list at `path`, keeping its filters (and its order). */
export function exportActions(path: string, filters: Record<string, string>, t: TFunction): ExportAction[] {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v !== '' && !NOT_EXPORTED.has(k)) query.set(k, v);
  const search = query.size > 0 ? `?${query.toString()}` : '';
  return EXPORT_FORMATS.map((format) => ({
    href: `${path}.${format}${search}`,
    label: t(`lists.export.${format}`),
    icon: 'download',
  }));
}
