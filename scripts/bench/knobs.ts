// The benchmarks' environment knobs, read once: sizes, durations, connections, ports and rush shape.
// Everything else in the environment reaches the nodes unchanged (for example SELECTION_ACTIVE_MAX or
// LOGIN_MAX_FAILURES), since the native cluster starts its nodes with this process's environment.

function int(name: string, fallback: number, min = 0): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be a whole number >= ${min}, got "${raw}"`);
  return value;
}

function ints(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const values = raw.split(',').map((s) => Number(s.trim().replace(/_/g, '')));
  if (values.some((v) => !Number.isInteger(v) || v < 1))
    throw new Error(`${name}: a comma-separated list of sizes, got "${raw}"`);
  return values;
}

function flag(name: string, fallback: boolean): boolean {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  return !['0', 'false', 'no', 'off'].includes(raw.trim().toLowerCase());
}

export interface Knobs {
  /** Student counts, one database (and one cluster) each. */
  sizes: number[];
  seconds: number;
  connections: number;
  /** Which targets of `npm run bench`: the cluster through nginx, one node directly. */
  targets: ('cluster' | 'node')[];
  /** Only the rows whose name matches (a regular expression), for a quick look at one page. */
  only?: RegExp;
  deepPage: number;
  /** The MariaDB/MySQL server the fresh databases are made on (any database name in it is ignored). */
  databaseUrl: string;
  /** An outside Redis (its keys are not deleted afterwards); unset: a private redis-server, stopped after. */
  redisUrl?: string;
  redisPort: number;
  nginxPort: number;
  appPort: number;
  hosts: string[];
  keepLogs: boolean;
  /** `npm run bench` runs the rush too (BENCH_RUSH=0 skips it). */
  withRush: boolean;
  /** `npm run bench` downloads the student list as CSV and .xlsx too (BENCH_EXPORTS=0 skips them). */
  withExports: boolean;
  /** `npm run bench` measures imports too (BENCH_IMPORTS=0 skips them): BENCH_IMPORT_ROWS students a file. */
  withImports: boolean;
  importRows: number;
  rush: RushKnobs;
}

export interface RushKnobs {
  students: number;
  concurrency: number;
  seconds: number;
  staffClients: number;
  sections: number;
  hotSections: number;
  /** SELECTION_ACTIVE_MAX on the nodes (0: no waiting room). */
  activeMax: number;
  /** Students in the database of a standalone `npm run bench:rush` (at least the rush students). */
  databaseStudents: number;
  requestTimeoutMs: number;
  /** Longest a student waits on one Retry-After before trying again. */
  maxRetryWaitMs: number;
}

export function readKnobs(): Knobs {
  const targets = (process.env.BENCH_TARGETS ?? 'cluster,node').split(',').map((s) => s.trim());
  for (const t of targets)
    if (t !== 'cluster' && t !== 'node') throw new Error(`BENCH_TARGETS: cluster and/or node, got "${t}"`);
  const rushStudents = int('BENCH_RUSH_STUDENTS', 3_000, 1);
  return {
    sizes: ints('BENCH_SIZES', [10_000, 100_000]),
    seconds: int('BENCH_SECONDS', 10, 1),
    connections: int('BENCH_CONNECTIONS', 32, 1),
    targets: targets as Knobs['targets'],
    only: process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : undefined,
    deepPage: int('BENCH_DEEP_PAGE', 2_000, 1),
    databaseUrl: process.env.BENCH_DATABASE_URL || 'mysql://root@127.0.0.1:3306/',
    redisUrl: process.env.BENCH_REDIS_URL || undefined,
    redisPort: int('BENCH_REDIS_PORT', 16_484, 1),
    nginxPort: int('BENCH_NGINX_PORT', 18_484, 1),
    appPort: int('BENCH_APP_PORT', 3_600, 1),
    hosts: (process.env.BENCH_HOSTS ?? '127.0.0.11,127.0.0.12,127.0.0.13').split(',').map((s) => s.trim()),
    keepLogs: flag('BENCH_KEEP_LOGS', false),
    withRush: flag('BENCH_RUSH', true),
    withExports: flag('BENCH_EXPORTS', true),
    withImports: flag('BENCH_IMPORTS', true),
    importRows: int('BENCH_IMPORT_ROWS', 100_000, 1),
    rush: {
      students: rushStudents,
      concurrency: int('BENCH_RUSH_CONCURRENCY', 200, 1),
      seconds: int('BENCH_RUSH_SECONDS', 90, 1),
      staffClients: int('BENCH_RUSH_STAFF', 4, 0),
      sections: int('BENCH_RUSH_SECTIONS', 60, 4),
      hotSections: int('BENCH_RUSH_HOT_SECTIONS', 20, 0),
      databaseStudents: Math.max(int('BENCH_RUSH_DB_STUDENTS', 10_000, 1), Math.ceil(rushStudents * 1.6)),
      requestTimeoutMs: int('BENCH_RUSH_TIMEOUT_MS', 15_000, 100),
      maxRetryWaitMs: int('BENCH_RUSH_MAX_RETRY_WAIT_MS', 10_000, 0),
      // The waiting room's N for the nodes: what this 2-core box serves with pages fast; the rest waits.
      activeMax: int('SELECTION_ACTIVE_MAX', 60, 0),
    },
  };
}
