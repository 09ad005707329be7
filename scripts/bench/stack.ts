// One size of the benchmark, up: a private Redis, a fresh seeded database (plus the rush's term and
// accounts), and the native cluster (nginx + three nodes from dist/, as `npm run cluster` runs them) on
// the benchmark's own ports. stop() takes it down in order; on an error or Ctrl-C cleanup.ts does.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { Cluster } from '../cluster/cluster';
import { NGINX_BIN } from '../cluster/nginx-conf';
import { REPO_ROOT } from '../cluster/render-nginx';
import { createDb } from '../../src/db/knex';
import { onCleanup } from './cleanup';
import type { Knobs } from './knobs';
import { seedRush, type RushPlan } from './rush-seed';
import { BENCH_PASSWORD, freshDatabase, privateRedis } from './services';

export interface Stack {
  students: number;
  cluster: Cluster;
  /** The benchmark's own connection, for look-ups and the rush's checks. */
  db: Knex;
  databaseName: string;
  seedSeconds: number;
  plan?: RushPlan;
  runDir: string;
  stop(): Promise<void>;
}

export const runStamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);

export async function startStack(
  knobs: Knobs,
  students: number,
  opts: { rush: boolean; log: (line: string) => void },
): Promise<Stack> {
  const label = students >= 1000 ? `${Math.round(students / 1000)}k` : String(students);
  const runDir = path.join(REPO_ROOT, 'run', 'bench', `${runStamp}-${label}`);
  for (const [tool, bin] of [
    ['nginx', NGINX_BIN],
    ['redis-server', 'redis-server'],
  ] as const) {
    if (tool === 'redis-server' && knobs.redisUrl) continue;
    if (spawnSync(bin, ['-v'], { stdio: 'ignore' }).error)
      throw new Error(
        `${tool} is not installed (the benchmark runs its own): apt-get install ${tool === 'nginx' ? 'nginx' : 'redis-server'}`,
      );
  }
  fs.mkdirSync(runDir, { recursive: true });
  onCleanup('say where the logs are', async () => {
    if (fs.existsSync(runDir)) console.error(`logs of this run: ${path.relative(process.cwd(), runDir)}/`);
  });
  const redis = knobs.redisUrl
    ? { url: knobs.redisUrl, stop: async () => {} }
    : await privateRedis(knobs.redisPort, path.join(runDir, 'redis'));

  opts.log(`${label}: seeding ${students} students (built CLI) ...`);
  const database = await freshDatabase(knobs.databaseUrl, label, students, path.join(runDir, 'logs'));
  opts.log(`${label}: database ${database.name} seeded in ${database.seedSeconds.toFixed(1)} s`);
  const db = createDb({ client: 'mysql', url: database.url }, { poolMax: 4 });
  const closeDb = onCleanup('close the benchmark connection', () => db.destroy());

  let plan: RushPlan | undefined;
  if (opts.rush) {
    const started = Date.now();
    plan = await seedRush(db, knobs.rush, BENCH_PASSWORD);
    opts.log(
      `${label}: rush term seeded: ${plan.sections.length} sections (${plan.sections.filter((s) => s.hot).length} ` +
        `oversubscribed 3:1), ${plan.students.length} student accounts, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }

  const cluster = new Cluster({
    databaseUrl: database.url,
    redisUrl: redis.url,
    nginxPort: knobs.nginxPort,
    hosts: knobs.hosts,
    appPort: knobs.appPort,
    runDir: path.join(runDir, 'cluster'),
    sessionSecret: randomBytes(32).toString('hex'),
    demoPassword: BENCH_PASSWORD,
    nodeEnv: { SELECTION_ACTIVE_MAX: String(knobs.rush.activeMax) },
  });
  const stopCluster = onCleanup('stop the cluster', () => cluster.stop());
  await cluster.start();
  opts.log(`${label}: cluster up: nginx ${cluster.url}, nodes ${cluster.nodes.map((n) => n.url).join(' ')}`);

  return {
    students,
    cluster,
    db,
    databaseName: database.name,
    seedSeconds: database.seedSeconds,
    plan,
    runDir,
    stop: async () => {
      await stopCluster();
      await closeDb();
      await database.drop();
      await redis.stop();
      // A failed run keeps its folder (node, nginx and seed logs) for a look; a finished one is removed.
      if (!knobs.keepLogs) fs.rmSync(runDir, { recursive: true, force: true });
    },
  };
}
