// The benchmarks' output: one aligned table on stdout and the same figures as JSON (for comparing runs).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../cluster/render-nginx';

export interface BenchRow {
  students: number;
  target: 'cluster' | 'node';
  name: string;
  path: string;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** non-2xx answers + timeouts + socket errors. */
  errors: number;
  non2xx: number;
  timeouts: number;
  socketErrors: number;
  /** req/s over the same target's /healthz req/s. */
  ratio: number | null;
  statusCodes: Record<string, number>;
}

const TARGET_LABEL = { cluster: 'nginx+3', node: '1 node' } as const;

export function formatTable(rows: BenchRow[]): string {
  const head = ['students', 'via', 'task', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'x ceiling'];
  const body = rows.map((r) => [
    r.students.toLocaleString('en-US'),
    TARGET_LABEL[r.target],
    r.name,
    r.reqPerSec.toFixed(r.reqPerSec < 100 ? 1 : 0),
    String(r.p50Ms),
    String(r.p99Ms),
    String(r.errors),
    r.ratio === null ? '' : r.ratio.toFixed(3),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => [...b[i]!].length + wide(b[i]!))));
  const right = new Set([0, 3, 4, 5, 6, 7]);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => {
        const pad = ' '.repeat(Math.max(0, widths[i]! - [...c].length - wide(c)));
        return right.has(i) ? pad + c : c + pad;
      })
      .join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** CJK characters take two columns in a terminal. */
function wide(s: string): number {
  return [...s].filter((c) => /[\u3000-\u9fff\uff00-\uffef]/.test(c)).length;
}

export function machine() {
  return {
    host: os.hostname(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** Writes run/bench/<kind>-<stamp>.json and, when given, `--out FILE`; returns the paths written. */
export function writeJson(kind: string, stamp: string, data: object): string[] {
  const outArg = process.argv.indexOf('--out');
  const paths = [path.join(REPO_ROOT, 'run', 'bench', `${kind}-${stamp}.json`)];
  if (outArg >= 0 && process.argv[outArg + 1]) paths.push(path.resolve(process.argv[outArg + 1]!));
  for (const p of paths) {
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, `${JSON.stringify(data, null, 2)}\n`);
  }
  return paths;
}
