// The export writer on its own: formula cells neutralised, the download's name for every browser, the
// rows read only as fast as the reader takes them, and a reader who leaves or a failing read handled.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import {
  attachmentHeader,
  type ExportColumn,
  type ExportFormat,
  exportFilename,
  neutralise,
  sendExport,
} from '../../../src/lib/export';
import { inBatches } from '../../../src/lib/keyset';

/** A reader that takes `delayMs` per chunk, with a small buffer: a slow download. */
class SlowReader extends Writable {
  readonly headers: Record<string, string> = {};
  readonly chunks: Buffer[] = [];
  constructor(
    private readonly delayMs: number,
    highWaterMark = 1024,
  ) {
    super({ highWaterMark });
  }
  setHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void) {
    this.chunks.push(chunk);
    setTimeout(done, this.delayMs);
  }
  get body() {
    return Buffer.concat(this.chunks);
  }
  /** Bytes the reader has taken so far. */
  get taken() {
    return this.chunks.reduce((n, c) => n + c.length, 0);
  }
}

type Row = { n: number; text: string };
const columns: ExportColumn<Row>[] = [
  { heading: 'n', value: (r) => r.n },
  { heading: 'text', value: (r) => r.text },
];

/** `count` batches of `size` rows of random text; `takenAtPull`: what the reader had taken at each batch. */
function rowsOf(count: number, size: number) {
  const state = { pulled: 0, takenAtPull: [] as number[], closed: false };
  async function* batches(out: SlowReader): AsyncGenerator<Row[]> {
    try {
      for (let b = 0; b < count; b++) {
        state.pulled++;
        state.takenAtPull.push(out.taken);
        yield Array.from({ length: size }, (_, i) => ({ n: b * size + i, text: randomBytes(60).toString('base64') }));
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, batches };
}

describe('the export writer', () => {
  it('neutralises what a spreadsheet would run as a formula, and nothing else', () => {
    for (const text of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(neutralise(text)).toBe(`'${text}`);
    for (const text of ['1+1', 'a=b', '', "'=x", '王=1']) expect(neutralise(text)).toBe(text);
  });

  it('names the file for every browser: an ASCII filename and the exact name as RFC 5987 filename*', () => {
    expect(attachmentHeader('students-20261204.csv')).toBe(
      `attachment; filename="students-20261204.csv"; filename*=UTF-8''students-20261204.csv`,
    );
    expect(attachmentHeader('花名册 (A)"x.csv')).toBe(
      `attachment; filename="___ (A)_x.csv"; filename*=UTF-8''%E8%8A%B1%E5%90%8D%E5%86%8C%20%28A%29%22x.csv`,
    );
    expect(exportFilename(['roster', 'CS 101/A'], '2026-12-04')).toBe('roster-CS_101_A-20261204');
  });

  // exceljs holds the first part of a sheet before its zip starts to send (64 KB, then deflate).
  it.each<[ExportFormat, number, string, number]>([
    ['csv', 1, 'a slow', 2],
    ['xlsx', 10, 'a slow', 2],
    ['csv', 1, 'a fast', 0],
    // Here the zip, not the reader, is the slow part: its deflate's buffer is what is watched.
    ['xlsx', 10, 'a fast', 0],
  ])(
    'reads a batch of a %s, %i ahead at most, only as %s reader takes the file',
    async (format, ahead, _speed, delayMs) => {
      const count = 40;
      const out = new SlowReader(delayMs, 16 * 1024);
      const { state, batches } = rowsOf(count, 1_000);
      await sendExport(out, format, { filename: 'x', sheet: 'x', columns, batches: batches(out) });
      expect(state.pulled).toBe(count);
      const total = out.taken;
      expect(total).toBeGreaterThan(3_000_000);
      // Batch k is read once the reader has the part of the file that batches before k - ahead make up.
      const late = state.takenAtPull.map((taken, k) => ({ k, taken, due: (total * (k - ahead)) / count }));
      expect(late.filter(({ taken, due }) => taken < due * 0.9)).toEqual([]);
      if (format === 'csv') expect(parse(out.body.subarray(3).toString('utf8'))).toHaveLength(count * 1_000 + 1);
      else {
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(out.body as unknown as ExcelJS.Buffer);
        expect(workbook.worksheets[0]!.rowCount).toBe(count * 1_000 + 1);
      }
    },
  );

  it.each<ExportFormat>(['csv', 'xlsx'])('stops reading, quietly, when the %s reader goes away', async (format) => {
    const out = new SlowReader(2);
    const { state, batches } = rowsOf(1_000, 100);
    const done = sendExport(out, format, { filename: 'x', sheet: 'x', columns, batches: batches(out) });
    await sleep(50);
    out.destroy();
    await expect(done).resolves.toBeUndefined();
    expect(state.closed).toBe(true);
    expect(state.pulled).toBeLessThan(1_000);
  });

  it('sends no header when the first batch fails (an ordinary error page follows)', async () => {
    const out = new SlowReader(0);
    // eslint-disable-next-line require-yield
    async function* failing(): AsyncGenerator<Row[]> {
      throw new Error('database down');
    }
    await expect(sendExport(out, 'csv', { filename: 'x', sheet: 'x', columns, batches: failing() })).rejects.toThrow(
      'database down',
    );
    expect(out.headers).toEqual({});
    expect(out.destroyed).toBe(false);
  });

  it('cuts the download off when a later batch fails, so that a truncated file never looks whole', async () => {
    const out = new SlowReader(0);
    async function* failing(): AsyncGenerator<Row[]> {
      yield [{ n: 1, text: 'one' }];
      throw new Error('connection lost');
    }
    await expect(sendExport(out, 'xlsx', { filename: 'x', sheet: 'x', columns, batches: failing() })).rejects.toThrow(
      'connection lost',
    );
    expect(out.headers['Content-Type']).toContain('spreadsheetml');
    expect(out.destroyed).toBe(true);
  });
});

describe('inBatches', () => {
  it('reads from where the last batch ended until a batch comes back short', async () => {
    const all = Array.from({ length: 25 }, (_, i) => ({ id: i + 1 }));
    const asked: (number | undefined)[] = [];
    const read = async (after: number | undefined, limit: number) => {
      asked.push(after);
      return all.filter((r) => after === undefined || r.id > after).slice(0, limit);
    };
    const seen: number[][] = [];
    for await (const batch of inBatches(read, (r) => r.id, 10)) seen.push(batch.map((r) => r.id));
    expect(seen.map((b) => b.length)).toEqual([10, 10, 5]);
    expect(seen.flat()).toEqual(all.map((r) => r.id));
    expect(asked).toEqual([undefined, 10, 20]);
  });

  it('asks once more after a full last batch and yields no empty batch', async () => {
    const batches: number[][] = [];
    const read = async (after: number | undefined) => (after === undefined ? [1, 2] : []);
    for await (const batch of inBatches(read, (n) => n, 2)) batches.push(batch);
    expect(batches).toEqual([[1, 2]]);
  });
});
