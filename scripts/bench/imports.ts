// Import speed on MariaDB (issue 12): BENCH_IMPORT_ROWS (100,000) generated students imported from .csv
// and from .xlsx, a dry run and a commit of each, then the CSV again with one field changed on every row
// (a commit of updates). Each step runs in a child process of its own on the built code (import-child.js),
// so its peak RSS (resourceUsage's maxRSS) is the import's alone, as a node would run it. A fresh
// database, dropped afterwards (cleanup.ts). Standalone: `npm run build && tsx scripts/bench/imports.ts`;
// `npm run bench` runs it too (BENCH_IMPORTS=0 skips it).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import knex, { type Knex } from 'knex';
import { createDb } from '../../src/db/knex';
import { migrateLatest } from '../../src/db/migrate';
import type { ImportMode } from '../../src/imports/imports.types';
import { classesDef } from '../../src/organisation/classes';
import { departmentsDef } from '../../src/organisation/departments';
import { majorsDef } from '../../src/organisation/majors';
import { RecordsRepository } from '../../src/records/records.repository';
import { onCleanup, runBenchmark } from './cleanup';

export interface ImportBenchRow {
  step: string;
  format: 'csv' | 'xlsx';
  mode: ImportMode;
  rows: number;
  fileMb: number;
  seconds: number;
  /** Peak resident memory of the process that ran the import, and its resident memory before it began. */
  peakRssMb: number;
  startRssMb: number;
  counts: { created: number; updated: number; unchanged: number };
  errors: number;
  /** NODE_OPTIONS of the step's process (a heap limit changes its peak: V8 grows the heap to a multiple of what is live). */
  nodeOptions: string | null;
}

const CLASSES = 40;
const HEADER = ['学号', '姓名', '性别', '出生日期', '电子邮箱', '电话', '地址', '入学年份', '学籍状态', '班级'];
const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'];
const GIVEN = [...'伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英'];

function student(i: number, base: number, phoneSuffix: string): (string | number)[] {
  const name = `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}${GIVEN[(i * 13) % GIVEN.length]}`;
  const day = `${2000 + (i % 8)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
  return [
    String(base + i),
    name,
    i % 2 === 0 ? '男' : '女',
    day,
    `s${base + i}@example.edu`,
    `138${String(i).padStart(8, '0')}`.slice(0, 11 - phoneSuffix.length) + phoneSuffix,
    `北京市海淀区学院路 ${i % 500} 号`,
    2020 + (i % 6),
    '在读',
    `BCH${String(i % CLASSES).padStart(3, '0')}`,
  ];
}

export function writeCsv(file: string, rows: number, base: number, phoneSuffix = ''): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, `\uFEFF${HEADER.join(',')}\r\n`);
    let chunk = '';
    for (let i = 0; i < rows; i++) {
      chunk += `${student(i, base, phoneSuffix).join(',')}\r\n`;
      if (chunk.length > 1 << 20) {
        fs.writeSync(fd, chunk);
        chunk = '';
      }
    }
    fs.writeSync(fd, chunk);
  } finally {
    fs.closeSync(fd);
  }
}

export async function writeXlsx(file: string, rows: number, base: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
  const sheet = workbook.addWorksheet('学生');
  sheet.getColumn(1).numFmt = '@';
  sheet.addRow(HEADER).commit();
  for (let i = 0; i < rows; i++) {
    const row = student(i, base, '');
    // A real date cell, as Excel keeps a typed date.
    const [y, m, d] = String(row[3]).split('-').map(Number) as [number, number, number];
    row[3] = new Date(Date.UTC(y, m - 1, d)) as unknown as string;
    sheet.addRow(row).commit();
  }
  sheet.commit();
  await workbook.commit();
}

/** A few classes for the rows to name (by code), as an admissions file does. */
export async function seedClasses(db: Knex): Promise<void> {
  const departmentId = await new RecordsRepository(db, departmentsDef).insert({ code: 'BCHD', name: '基准学院' });
  const majorId = await new RecordsRepository(db, majorsDef).insert({
    code: 'BCHM',
    name: '基准专业',
    department_id: departmentId,
  });
  const classes = new RecordsRepository(db, classesDef);
  for (let i = 0; i < CLASSES; i++)
    await classes.insert({
      code: `BCH${String(i).padStart(3, '0')}`,
      name: `基准${i}班`,
      major_id: majorId,
      entry_year: 2024,
    });
}

const CHILD = path.join(__dirname, 'import-child.js');
const BUILT = path.resolve(__dirname, '../../dist/src/imports/imports.service.js');

/** One import in a process of its own, on the built code (import-child.js). */
function runChild(databaseUrl: string, file: string, mode: ImportMode) {
  const out = execFileSync(process.execPath, [CHILD, databaseUrl, file, mode], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Pick<
    ImportBenchRow,
    'seconds' | 'peakRssMb' | 'startRssMb' | 'counts' | 'errors'
  > & { total: number };
}

/** The import steps on a fresh database of the server at `serverUrl`; rows as the report prints them. */
export async function runImportBench(opts: {
  serverUrl: string;
  rows: number;
  log: (line: string) => void;
}): Promise<ImportBenchRow[]> {
  if (!fs.existsSync(BUILT)) throw new Error('the import steps run the built code: npm run build first');
  const name = `sis_bench_import_${randomBytes(3).toString('hex')}`;
  const url = new URL(opts.serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const serverUri = new URL(opts.serverUrl);
  serverUri.pathname = '/';
  const admin = knex({ client: 'mysql2', connection: { uri: serverUri.toString() } as Knex.MySql2ConnectionConfig });
  try {
    await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.destroy();
  }
  const drop = onCleanup(`drop database ${name}`, async () => {
    const db = knex({ client: 'mysql2', connection: { uri: serverUri.toString() } as Knex.MySql2ConnectionConfig });
    try {
      await db.raw(`DROP DATABASE IF EXISTS \`${name}\``);
    } finally {
      await db.destroy();
    }
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sis-bench-import-'));
  const removeDir = onCleanup('remove the import files', async () => fs.rmSync(dir, { recursive: true, force: true }));

  const db = createDb({ client: 'mysql', url: databaseUrl }, { poolMax: 1 });
  try {
    await migrateLatest(db);
    await seedClasses(db);
  } finally {
    await db.destroy();
  }

  opts.log(`imports: writing ${opts.rows.toLocaleString('en')} students as .csv and .xlsx ...`);
  const csv = path.join(dir, 'students.csv');
  const csvChanged = path.join(dir, 'students-changed.csv');
  const xlsx = path.join(dir, 'students.xlsx');
  writeCsv(csv, opts.rows, 2_030_000_000);
  writeCsv(csvChanged, opts.rows, 2_030_000_000, '9');
  await writeXlsx(xlsx, opts.rows, 2_040_000_000);

  const steps: [string, 'csv' | 'xlsx', ImportMode, string][] = [
    ['csv dry run (all new)', 'csv', 'dry_run', csv],
    ['csv commit (creates)', 'csv', 'commit', csv],
    ['xlsx dry run (all new)', 'xlsx', 'dry_run', xlsx],
    ['xlsx commit (creates)', 'xlsx', 'commit', xlsx],
    ['csv dry run (every row changed)', 'csv', 'dry_run', csvChanged],
    ['csv commit (updates)', 'csv', 'commit', csvChanged],
  ];
  const rows: ImportBenchRow[] = [];
  try {
    for (const [step, format, mode, file] of steps) {
      const r = runChild(databaseUrl, file, mode);
      const row: ImportBenchRow = {
        step,
        format,
        mode,
        rows: r.total,
        fileMb: fs.statSync(file).size / 1048576,
        seconds: r.seconds,
        peakRssMb: r.peakRssMb,
        startRssMb: r.startRssMb,
        counts: r.counts,
        errors: r.errors,
        nodeOptions: process.env.NODE_OPTIONS ?? null,
      };
      rows.push(row);
      opts.log(`  ${formatImportRow(row)}`);
    }
  } finally {
    await removeDir();
    await drop();
  }
  return rows;
}

export function formatImportRow(r: ImportBenchRow): string {
  const c = r.counts;
  return (
    `${r.step.padEnd(34)} ${r.rows.toLocaleString('en').padStart(8)} rows ${r.fileMb.toFixed(1).padStart(5)} MB  ` +
    `${r.seconds.toFixed(1).padStart(6)} s  peak RSS ${Math.round(r.peakRssMb)} MB (at start ${Math.round(r.startRssMb)})  ` +
    `created ${c.created} updated ${c.updated} unchanged ${c.unchanged}${r.errors ? `  ERRORS ${r.errors}` : ''}` +
    (r.nodeOptions ? `  (NODE_OPTIONS ${r.nodeOptions})` : '')
  );
}

if (require.main === module) {
  runBenchmark(async () => {
    const rows = Number((process.env.BENCH_IMPORT_ROWS ?? '100000').replace(/_/g, ''));
    await runImportBench({
      serverUrl: process.env.BENCH_DATABASE_URL || 'mysql://root@127.0.0.1:3306/',
      rows,
      log: (line) => console.log(line),
    });
  });
}
