// An uploaded spreadsheet as rows of cells, whatever it came as: an Excel workbook (.xlsx, read as a
// stream, its first worksheet) or a CSV text (UTF-8 with or without BOM, UTF-16 with BOM, else GBK /
// GB18030 as Excel writes it on Chinese Windows). The kind is decided by the bytes, never by the name.
import fs from 'node:fs';
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { Language } from '../i18n/i18n';
import { cellText } from './import-cells';
import { fileErrors } from './imports.errors';

/** The largest file an import reads (an upload is refused beyond it before it is kept). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
/** The most data rows an import reads (the header not counted). */
export const MAX_IMPORT_ROWS = 100_000;

export type FileFormat = 'xlsx' | 'csv';

/** A cell as the file holds it: CSV gives text only; a workbook also numbers, dates and true/false. */
export type Cell = string | number | boolean | Date | null;

export interface SheetRow {
  /** The row number a spreadsheet program shows (the first row is 1). */
  row: number;
  /** Cells from the first column, 0-based. */
  cells: Cell[];
}

const ZIP = Buffer.from('PK\x03\x04', 'latin1');
const EMPTY_ZIP = Buffer.from('PK\x05\x06', 'latin1');
/** The compound-file header of an old Excel workbook (.xls) and other Office 97 files. */
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const UTF16LE_BOM = Buffer.from([0xff, 0xfe]);
const UTF16BE_BOM = Buffer.from([0xfe, 0xff]);

/** How much of the file's start is looked at to tell text from binary. */
const SNIFF_BYTES = 8192;

function readHead(path: string): Buffer {
  const fd = fs.openSync(path, 'r');
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    const read = fs.readSync(fd, head, 0, SNIFF_BYTES, 0);
    return head.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * What the file is, from its size and first bytes: a zip (an .xlsx), or text (a CSV). Anything else (an
 * image, a PDF, an old .xls) is refused here, as is an empty file or one over the size limit.
 */
export function sniffFile(path: string, lang: Language, maxBytes = MAX_IMPORT_BYTES): FileFormat {
  const size = fs.statSync(path).size;
  if (size === 0) throw fileErrors.empty(lang);
  if (size > maxBytes) throw fileErrors.tooLarge(lang, Math.round(maxBytes / (1024 * 1024)));
  const head = readHead(path);
  if (head.subarray(0, 4).equals(ZIP) || head.subarray(0, 4).equals(EMPTY_ZIP)) return 'xlsx';
  if (head.subarray(0, 8).equals(OLE)) throw fileErrors.oldExcel(lang);
  const utf16 = head.subarray(0, 2).equals(UTF16LE_BOM) || head.subarray(0, 2).equals(UTF16BE_BOM);
  // Text has no NUL byte (UTF-16 aside); every image, archive or PDF has some within its first kilobytes.
  if (!utf16 && (head.includes(0) || binaryShare(head) > 0.1)) throw fileErrors.notSpreadsheet(lang);
  if (decodeText(head, true).trim() === '' && size <= SNIFF_BYTES) throw fileErrors.empty(lang);
  return 'csv';
}

/** The share of control bytes other than tab, line feed and carriage return (text has next to none). */
function binaryShare(bytes: Buffer): number {
  if (bytes.length === 0) return 0;
  let control = 0;
  for (const b of bytes) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  return control / bytes.length;
}

type TextEncoding = 'utf8' | 'utf-16le' | 'utf-16be' | 'gb18030';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The encoding a BOM names, and the BOM's length; undefined without one. */
function bomOf(bytes: Buffer): { encoding: TextEncoding; length: number } | undefined {
  if (bytes.subarray(0, 3).equals(UTF8_BOM)) return { encoding: 'utf8', length: 3 };
  if (bytes.subarray(0, 2).equals(UTF16LE_BOM)) return { encoding: 'utf-16le', length: 2 };
  if (bytes.subarray(0, 2).equals(UTF16BE_BOM)) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

/**
 * The text of CSV bytes: a BOM says the encoding; without one, strict UTF-8 first (what a file that
 * is not UTF-8 almost never passes), else GB18030 (a superset of GBK and GB2312). `partial`: the bytes
 * may end inside a character (a sniffed head), so a cut-off last character does not count against UTF-8.
 */
export function decodeText(bytes: Buffer, partial = false): string {
  const bom = bomOf(bytes);
  if (bom) return iconv.decode(bytes.subarray(bom.length), bom.encoding);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: partial });
  } catch {
    return iconv.decode(bytes, 'gb18030');
  }
}

/**
 * The encoding of a CSV file, as decodeText decides it, read through once in chunks (nothing kept): its
 * BOM, else UTF-8 when every byte of it is valid UTF-8, else GB18030.
 */
async function encodingOf(path: string): Promise<{ encoding: TextEncoding; skip: number }> {
  const bom = bomOf(readHead(path));
  if (bom) return { encoding: bom.encoding, skip: bom.length };
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of fs.createReadStream(path, { highWaterMark: 1 << 20 }))
      decoder.decode(chunk as Buffer, { stream: true });
    decoder.decode();
    return { encoding: 'utf8', skip: 0 };
  } catch {
    return { encoding: 'gb18030', skip: 0 };
  }
}

/** The rows of the file's first worksheet (a workbook) or of the whole text (a CSV), in order. */
export function readRows(path: string, format: FileFormat, lang: Language): AsyncIterable<SheetRow> {
  return format === 'xlsx' ? xlsxRows(path, lang) : csvRows(path, lang);
}

/** Tab (Excel's "Unicode text"), semicolon (Excel where the comma is the decimal mark) or comma. */
function delimiterOf(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const count = (c: string) => firstLine.split(c).length - 1;
  const best = ['\t', ';'].find((c) => count(c) > count(','));
  return best ?? ',';
}

/** A CSV file's records, decoded and parsed as they are read: neither its bytes nor its text are kept whole. */
async function* csvRows(path: string, lang: Language): AsyncGenerator<SheetRow> {
  const { encoding, skip } = await encodingOf(path);
  const parser = parseCsv({
    delimiter: delimiterOf(decodeText(readHead(path), true)),
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    bom: false,
  });
  const source = fs.createReadStream(path, { start: skip, highWaterMark: 1 << 16 });
  const fail = (err: Error) => parser.destroy(err);
  source.on('error', fail);
  source.pipe(iconv.decodeStream(encoding)).on('error', fail).pipe(parser);
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      yield { row, cells: record };
    }
  } catch (err) {
    // The record that could not be read starts on the row after the last one read.
    const e = err as { code?: unknown };
    if (typeof e.code === 'string' && e.code.startsWith('CSV_')) throw fileErrors.csvMalformed(lang, row + 1);
    throw err;
  } finally {
    source.destroy();
    parser.destroy();
  }
}

/** A workbook cell's value as a plain cell: rich text joined, a formula's cached result, an error's code. */
export function plainCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText))
      return v.richText.map((part) => String((part as { text?: unknown }).text ?? '')).join('');
    if ('result' in v) return plainCell(v.result);
    if ('formula' in v || 'sharedFormula' in v) return null;
    if (typeof v.text === 'string') return v.text;
    if (typeof v.error === 'string') return v.error;
  }
  return String(value);
}

/**
 * A workbook's shared strings (every text cell points into them), kept compactly and off the JavaScript
 * heap: UTF-8 bytes joined per block, with their offsets. A 100,000-row sheet has hundreds of thousands
 * of them, all kept until its last row is read; as strings on the heap they would hold the garbage
 * collector's limit (a multiple of what is live) and the node's memory high for the whole import.
 */
class SharedStrings {
  private static readonly BLOCK = 4096;
  private readonly blocks: { bytes: Buffer; offsets: Uint32Array }[] = [];
  private pending: string[] = [];

  add(text: string): void {
    this.pending.push(text);
    if (this.pending.length === SharedStrings.BLOCK) this.seal();
  }

  get(index: number): string | undefined {
    const block = Math.floor(index / SharedStrings.BLOCK);
    const at = index % SharedStrings.BLOCK;
    if (block === this.blocks.length) return this.pending[at];
    const b = this.blocks[block];
    return b && at + 1 < b.offsets.length ? b.bytes.toString('utf8', b.offsets[at], b.offsets[at + 1]) : undefined;
  }

  /** The pending strings become one block (called as it fills, and once all are read). */
  seal(): void {
    if (this.pending.length === 0) return;
    const parts = this.pending.map((text) => Buffer.from(text, 'utf8'));
    const offsets = new Uint32Array(parts.length + 1);
    let length = 0;
    parts.forEach((part, i) => {
      offsets[i] = length;
      length += part.length;
    });
    offsets[parts.length] = length;
    this.blocks.push({ bytes: Buffer.concat(parts, length), offsets });
    this.pending = [];
  }
}

async function* xlsxRows(path: string, lang: Language): AsyncGenerator<SheetRow> {
  const stream = fs.createReadStream(path);
  // Shared strings are emitted (and kept compactly here), which also makes the reader keep every
  // worksheet in a temporary file until they are all read; styles are read so that a cell formatted as a
  // date comes as a Date; hyperlinks and every sheet after the first are not read.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    sharedStrings: 'emit',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  } as Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>);
  const strings = new SharedStrings();
  const cellOf = (value: unknown): Cell => {
    if (typeof value === 'object' && value !== null && 'sharedString' in value)
      return strings.get(Number((value as { sharedString: unknown }).sharedString)) ?? null;
    return plainCell(value);
  };
  let sheets = 0;
  try {
    for await (const event of reader.parse() as unknown as AsyncIterable<{
      eventType?: string;
      value?: unknown;
      text?: unknown;
    }>) {
      if (event.eventType === undefined && 'text' in event) {
        strings.add(cellText(plainCell(event.text)));
        continue;
      }
      if (event.eventType !== 'worksheet') continue;
      strings.seal();
      sheets++;
      for await (const row of event.value as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as unknown[];
        const cells: Cell[] = [];
        // `values` is 1-based (index 0 is empty) and sparse.
        for (let i = 1; i < values.length; i++) cells.push(cellOf(values[i]));
        yield { row: row.number, cells };
      }
      break; // the first worksheet is the data; others (the template's accepted values) are not read
    }
  } catch (err) {
    if (isOwnError(err)) throw err;
    throw fileErrors.unreadable(lang);
  } finally {
    stream.destroy();
  }
  if (sheets === 0) throw fileErrors.unreadable(lang);
}

const isOwnError = (err: unknown) => typeof err === 'object' && err !== null && 'messageKey' in err;
