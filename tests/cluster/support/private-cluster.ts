// One test file's own cluster: a private MariaDB and Redis, three nodes and nginx on the ports given, a
// database connection for checks, and signed-in staff clients. Registers its own beforeAll/afterAll.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import { type Cluster, startCluster } from '../../../scripts/cluster/cluster';
import { Client, type LoadReport } from './load';
import { PrivateMariadb, PrivateRedis } from './private-services';

export interface PrivateClusterOptions {
  /** Names the run directory: run/test-<name>-<random>. */
  name: string;
  ports: { nginx: number; app: number; redis: number; mariadb: number };
  clients: number;
  nodeEnv?: NodeJS.ProcessEnv;
}

export interface PrivateCluster {
  readonly redis: PrivateRedis;
  readonly mariadb: PrivateMariadb;
  readonly cluster: Cluster;
  /** A connection to the cluster's database, for checks. */
  readonly db: Knex;
  readonly clients: Client[];
  /** Every acknowledged write (a student number starting with `tag`) is in the database exactly once. */
  expectWritesExactlyOnce(tag: string, report: LoadReport): Promise<void>;
  /** How many student rows each number starting with `tag` has. */
  rowsByStudentNo(tag: string): Promise<Map<string, number>>;
  /** Closes the check connection (before the database is stopped); `db` opens a new one when next used. */
  closeDb(): Promise<void>;
}

export function privateCluster(options: PrivateClusterOptions): PrivateCluster {
  const runDir = path.resolve(__dirname, '../../../run', `test-${options.name}-${randomBytes(3).toString('hex')}`);
  const redis = new PrivateRedis(path.join(runDir, 'redis'), options.ports.redis);
  const mariadb = new PrivateMariadb(path.join(runDir, 'mariadb'), options.ports.mariadb);
  let cluster: Cluster | undefined;
  let db: Knex | undefined;
  let clients: Client[] = [];
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the private cluster has no ${what}: beforeAll has not run`);
    return value;
  };

  beforeAll(async () => {
    await Promise.all([redis.start(), mariadb.start()]);
    cluster = await startCluster({
      databaseUrl: mariadb.url,
      redisUrl: redis.url,
      nginxPort: options.ports.nginx,
      appPort: options.ports.app,
      runDir,
      ...(options.nodeEnv ? { nodeEnv: options.nodeEnv } : {}),
    });
    clients = Array.from({ length: options.clients }, () => new Client(cluster!.url));
    for (const client of clients) await client.signIn('staff', 'demo-password');
  }, 120_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await db?.destroy();
    await cluster?.stop();
    await Promise.all([redis.stop(), mariadb.stop()]);
    if (!process.env.KEEP_RUN) fs.rmSync(runDir, { recursive: true, force: true });
  }, 120_000);

  const fixture: PrivateCluster = {
    redis,
    mariadb,
    get cluster() {
      return started(cluster, 'nodes');
    },
    get db() {
      started(cluster, 'database');
      db ??= knex({
        client: 'mysql2',
        connection: { uri: mariadb.url } as Knex.MySql2ConnectionConfig,
        pool: { min: 0, max: 2 },
      });
      return db;
    },
    async closeDb() {
      await db?.destroy();
      db = undefined;
    },
    get clients() {
      return clients;
    },
    async rowsByStudentNo(tag) {
      const rows: { student_no: string; n: number }[] = await fixture
        .db('students')
        .where('student_no', 'like', `${tag}%`)
        .groupBy('student_no')
        .select('student_no')
        .count({ n: '*' });
      return new Map(rows.map((r) => [r.student_no, Number(r.n)]));
    },
    async expectWritesExactlyOnce(tag, report) {
      const counts = await fixture.rowsByStudentNo(tag);
      expect(report.acknowledged.filter((no) => counts.get(no) !== 1)).toEqual([]);
      expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
      expect(counts.size).toBe(report.acknowledged.length);
    },
  };
  return fixture;
}
