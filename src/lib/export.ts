// Streamed exports: a list's rows, read batch by batch (lib/keyset.ts inBatches), written as CSV (UTF-8
// with a BOM, so that Excel reads Chinese right) or as .xlsx (exceljs's streaming writer) straight to the
// response. Each batch waits until the socket has taken the last one, so memory stays flat whatever the
// size. Text cells that a spreadsheet would read as a formula are neutralised (OWASP, "CSV injection").
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Rows a batch reads: large enough that the queries cost little, small enough to hold at once. */
export const EXPORT_BATCH_SIZE = 1_000;

export type ExportValue = string | number | null | undefined;

export interface ExportColumn<T> {
  /** In the reader's language, as the page labels the column. */
  heading: string;
  value: (row: T) => ExportValue;
  /**
   * 'date' ('YYYY-MM-DD') and 'datetime' ('YYYY-MM-DD HH:MM:SS', a wall time already in the university's
   * zone) become date cells in .xlsx; a CSV keeps the text, which Excel reads as a date too.
   */
  kind?: 'text' | 'date' | 'datetime';
  /** Width in characters in .xlsx. */
  width?: number;
}

export interface ExportSpec<T> {
  /** Without the extension: "students-20261204". */
  filename: string;
  /** The .xlsx sheet's name. */
  sheet: string;
  columns: readonly ExportColumn<T>[];
  batches: AsyncIterable<readonly T[]>;
}

/** What an export writes to: the response (a test may give another writable). */
export type ExportTarget = Writable & { setHeader(name: string, value: string): unknown };

/** The client went away (a closed tab, a cancelled download): the export stops, and that is no error. */
class ClientGone extends Error {}

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text a spreadsheet would run as a formula gets a leading apostrophe (OWASP's advice). */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** `attachment` with a plain ASCII `filename` for old clients and the exact name as RFC 5987 `filename*`. */
export function attachmentHeader(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** "students" and the day '2026-12-04' -> "students-20261204"; a code in the name keeps only safe characters. */
export function exportFilename(parts: readonly string[], day: string): string {
  const safe = parts.map((p) => p.replace(/[\\/:*?"<>|\s]+/g, '_'));
  return [...safe, day.replace(/-/g, '')].join('-');
}

/** Resolves when `out` drained; rejects with ClientGone when it closes first. */
function drained(out: Writable): Promise<void> {
  // Gone already (its 'close' came while nothing listened): waiting for a drain would wait for ever.
  if (out.destroyed) return Promise.reject(new ClientGone());
  return new Promise((resolve, reject) => {
    const done = () => {
      out.off('close', gone);
      resolve();
    };
    const gone = () => {
      out.off('drain', done);
      reject(new ClientGone());
    };
    out.once('drain', done);
    out.once('close', gone);
  });
}

/** Bytes a writer may hold on its way to `out` (an .xlsx sheet's XML before its zip deflates it). */
const PENDING_LIMIT = 1024 * 1024;

/**
 * Waits until `out` has room and the writer holds little: exceljs's zip pushes what it holds without
 * asking, so after a drain it gets one turn of the event loop to show it has more.
 */
async function caughtUp(out: Writable, pending: () => number): Promise<void> {
  for (;;) {
    if (out.destroyed) throw new ClientGone();
    if (out.writableNeedDrain) {
      await drained(out);
      continue;
    }
    if (pending() > PENDING_LIMIT) {
      await sleep(2); // zlib works on the thread pool and says nothing when it has caught up
      continue;
    }
    await nextTurn();
    if (!out.writableNeedDrain) return;
  }
}

/** Resolves when `out` has sent everything; rejects with ClientGone when it closed before. */
async function finished(out: Writable, done: Promise<unknown>): Promise<void> {
  const closed = once(out, 'close').then(() => {
    if (!out.writableFinished) throw new ClientGone();
  });
  await Promise.race([done, closed]);
}

interface SheetWriter<T> {
  rows(rows: readonly T[]): Promise<void>;
  end(): Promise<void>;
  /** Bytes written but still held inside the writer. */
  pending(): number;
}

function csvText(value: ExportValue): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'number' ? String(value) : neutralise(value);
}

function csvWriter<T>(out: Writable, columns: readonly ExportColumn<T>[]): SheetWriter<T> {
  const write = async (text: string) => {
    if (out.destroyed) throw new ClientGone();
    if (!out.write(text)) await drained(out);
  };
  const lines = (records: string[][]) => stringify(records, { record_delimiter: 'windows' });
  let started = false;
  const start = async () => {
    if (started) return;
    started = true;
    await write(`\uFEFF${lines([columns.map((c) => neutralise(c.heading))])}`);
  };
  return {
    pending: () => 0,
    async rows(rows) {
      await start();
      await write(lines(rows.map((row) => columns.map((c) => csvText(c.value(row))))));
    },
    async end() {
      await start();
      out.end();
      await finished(out, once(out, 'finish'));
    },
  };
}

const NUMBER_FORMAT = { date: 'yyyy-mm-dd', datetime: 'yyyy-mm-dd hh:mm:ss' } as const;
const WALL = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** A day or wall time as the Date whose UTC fields are the wall clock: Excel's dates have no zone. */
function wallDate(text: string): Date | undefined {
  const m = WALL.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h = '0', mi = '0', s = '0'] = m.slice(1).map((v) => v ?? '0') as string[];
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
}

function xlsxValue<T>(value: ExportValue, column: ExportColumn<T>): ExcelJS.CellValue {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return value;
  if (column.kind === 'date' || column.kind === 'datetime') return wallDate(value) ?? neutralise(value);
  return neutralise(value);
}

/** Excel's rules for a sheet name: at most 31 characters, none of []:*?/\. */
const sheetName = (name: string) => name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet1';

/** What exceljs 4's streaming writer keeps inside (no public API tells how much it holds). */
interface HeldStream {
  /** StreamBuf: chunks not yet handed on, and the zip's deflate stream it writes to. */
  buffers?: { length?: number }[];
  pipes?: { _writableState?: { length?: number } }[];
}

/**
 * The bytes of a sheet's XML waiting to be deflated. exceljs's StreamBuf writes into the zip without
 * looking at backpressure, so a fast producer would pile the whole sheet up there; without these
 * internals (another exceljs) it counts nothing and only the response's own backpressure applies.
 */
function heldBytes(streams: readonly HeldStream[]): number {
  let held = 0;
  for (const stream of streams) {
    for (const buffer of stream.buffers ?? []) held += buffer.length ?? 0;
    for (const pipe of stream.pipes ?? []) held += pipe._writableState?.length ?? 0;
  }
  return held;
}

function xlsxWriter<T>(out: Writable, spec: ExportSpec<T>): SheetWriter<T> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const opened: HeldStream[] = [];
  const internals = workbook as unknown as { _openStream?: (path: string) => HeldStream };
  const open = internals._openStream?.bind(workbook);
  if (open)
    internals._openStream = (path) => {
      const stream = open(path);
      opened.push(stream);
      return stream;
    };
  const sheet = workbook.addWorksheet(sheetName(spec.sheet), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = spec.columns.map((c, i) => ({
    key: String(i),
    width: c.width ?? Math.min(40, Math.max(10, c.heading.length + 4)),
    ...(c.kind === 'date' || c.kind === 'datetime' ? { style: { numFmt: NUMBER_FORMAT[c.kind] } } : {}),
  }));
  const head = sheet.addRow(spec.columns.map((c) => neutralise(c.heading)));
  head.font = { bold: true };
  head.commit();
  return {
    pending: () => heldBytes(opened),
    async rows(rows) {
      for (const row of rows) sheet.addRow(spec.columns.map((c) => xlsxValue(c.value(row), c))).commit();
    },
    async end() {
      sheet.commit();
      await finished(out, workbook.commit());
    },
  };
}

/**
 * Writes every batch of `spec` to `out` as `format`, with the download's headers. The first batch is read
 * before any header is sent, so a failing query is still an ordinary error page; a failure later cuts
 * the download off (a truncated file never looks complete). A client that leaves ends it quietly.
 */
export async function sendExport<T>(out: ExportTarget, format: ExportFormat, spec: ExportSpec<T>): Promise<void> {
  const batches = spec.batches[Symbol.asyncIterator]();
  let next = await batches.next();
  out.setHeader('Content-Type', EXPORT_CONTENT_TYPES[format]);
  out.setHeader('Content-Disposition', attachmentHeader(`${spec.filename}.${format}`));
  const writer = format === 'csv' ? csvWriter(out, spec.columns) : xlsxWriter(out, spec);
  try {
    while (!next.done) {
      await writer.rows(next.value);
      await caughtUp(out, () => writer.pending());
      next = await batches.next();
    }
    await writer.end();
  } catch (err) {
    await batches.return?.();
    if (err instanceof ClientGone) return;
    // Without an error: nothing listens for one on a response, and the cut connection says enough.
    out.destroy();
    throw err;
  }
}
