// Real import files, written the way the programs people use write them: workbooks by exceljs (typed
// cells: numbers, dates, text), CSV as UTF-8 with or without a BOM, or GBK as Excel saves it on Chinese
// Windows (iconv-lite's encoder). Each in a temporary folder of its own, removed by `cleanup`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

export type CellValue = string | number | boolean | Date | null;

export interface ImportFiles {
  dir: string;
  xlsx(
    name: string,
    rows: CellValue[][],
    options?: { textColumns?: number[]; sheets?: CellValue[][][] },
  ): Promise<string>;
  csv(
    name: string,
    rows: (string | number)[][],
    options?: { encoding?: 'utf8' | 'utf8-bom' | 'gbk'; delimiter?: string },
  ): string;
  raw(name: string, bytes: Buffer | string): string;
  cleanup(): void;
}

const quote = (v: string | number) => {
  const s = String(v);
  return /[",\r\n;\t]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function importFiles(): ImportFiles {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sis-import-test-'));
  return {
    dir,
    async xlsx(name, rows, options = {}) {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('Sheet1');
      for (const col of options.textColumns ?? []) sheet.getColumn(col).numFmt = '@';
      for (const row of rows) sheet.addRow(row);
      (options.sheets ?? []).forEach((extra, i) => {
        const more = workbook.addWorksheet(`More${i + 1}`);
        for (const row of extra) more.addRow(row);
      });
      const file = path.join(dir, name);
      await workbook.xlsx.writeFile(file);
      return file;
    },
    csv(name, rows, options = {}) {
      const text = rows.map((r) => r.map(quote).join(options.delimiter ?? ',')).join('\r\n') + '\r\n';
      const encoding = options.encoding ?? 'utf8';
      const bytes =
        encoding === 'gbk'
          ? iconv.encode(text, 'gbk')
          : Buffer.from(encoding === 'utf8-bom' ? `\uFEFF${text}` : text, 'utf8');
      const file = path.join(dir, name);
      fs.writeFileSync(file, bytes);
      return file;
    },
    raw(name, bytes) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, bytes);
      return file;
    },
    cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The first bytes of a real PNG image (signature, IHDR of a 1x1 picture), padded as an image file is. */
export function pngBytes(): Buffer {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex');
  return Buffer.concat([signature, ihdr, Buffer.alloc(64, 0)]);
}
