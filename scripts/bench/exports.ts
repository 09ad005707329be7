// The exports of `npm run bench`: the whole student list as CSV and as .xlsx, downloaded from one node
// by a signed-in staff client, timed to the last byte, the node's resident memory read from /proc every
// 50 ms throughout (the issue's targets: under 15 s for 100,000 students, the node below 300 MB).
import { staffSession } from './client';
import { rssMb } from './rss';

export interface ExportFigure {
  students: number;
  format: 'csv' | 'xlsx';
  seconds: number;
  /** Lines of the CSV after its heading (the xlsx is not unpacked); null for xlsx. */
  rows: number | null;
  megabytes: number;
  status: number;
  /** The node's RSS before the download and the highest seen while it ran. */
  rssBeforeMb: number | null;
  peakRssMb: number | null;
}

/** The highest RSS of `pid` while `work` runs, sampled every `everyMs`. */
async function peakRss<T>(pid: number | undefined, work: () => Promise<T>, everyMs = 50) {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    const now = rssMb(pid);
    if (now !== null && (peak === null || now > peak)) peak = now;
  }, everyMs);
  try {
    const result = await work();
    const last = rssMb(pid);
    if (last !== null && (peak === null || last > peak)) peak = last;
    return { result, peak };
  } finally {
    clearInterval(timer);
  }
}

/** Reads the body to its end without keeping it: bytes and CRLF line ends counted. */
async function drain(res: Response): Promise<{ bytes: number; lines: number }> {
  let bytes = 0;
  let lines = 0;
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes, lines };
    bytes += value.length;
    for (let i = 0; i < value.length; i++) if (value[i] === 0x0a) lines++;
  }
}

export async function runExports(opts: {
  /** One node, straight (not through nginx): the figures are that node's. */
  base: string;
  pid: number | undefined;
  students: number;
  password: string;
  log: (line: string) => void;
}): Promise<ExportFigure[]> {
  const staff = await staffSession(opts.base, opts.password);
  const figures: ExportFigure[] = [];
  try {
    for (const format of ['csv', 'xlsx'] as const) {
      const rssBeforeMb = rssMb(opts.pid);
      const started = performance.now();
      const { result, peak } = await peakRss(opts.pid, async () => {
        const res = await fetch(`${opts.base}/students/export.${format}`, {
          headers: { cookie: staff.cookieHeader, accept: 'text/html' },
        });
        return { status: res.status, ...(await drain(res)) };
      });
      const seconds = (performance.now() - started) / 1000;
      const figure: ExportFigure = {
        students: opts.students,
        format,
        seconds: Math.round(seconds * 100) / 100,
        rows: format === 'csv' ? result.lines - 1 : null,
        megabytes: Math.round((result.bytes / 2 ** 20) * 10) / 10,
        status: result.status,
        rssBeforeMb,
        peakRssMb: peak,
      };
      figures.push(figure);
      opts.log(
        `  export  ${`students .${format}`.padEnd(38)} ${figure.seconds.toFixed(2).padStart(6)} s  ` +
          `${figure.megabytes} MB${figure.rows === null ? '' : `, ${figure.rows} rows`}  status ${figure.status}  ` +
          `node RSS ${rssBeforeMb ?? '?'} -> peak ${peak ?? '?'} MB`,
      );
    }
  } finally {
    staff.close();
  }
  return figures;
}

export function formatExports(figures: ExportFigure[]): string {
  const head = ['students', 'export', 'seconds', 'MB', 'rows', 'RSS before', 'peak RSS'];
  const body = figures.map((f) => [
    f.students.toLocaleString('en-US'),
    f.format,
    f.seconds.toFixed(2),
    f.megabytes.toFixed(1),
    f.rows === null ? '' : f.rows.toLocaleString('en-US'),
    f.rssBeforeMb === null ? '?' : `${f.rssBeforeMb} MB`,
    f.peakRssMb === null ? '?' : `${f.peakRssMb} MB`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
