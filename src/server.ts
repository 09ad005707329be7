// The only file that listens, handles signals and exits.
import http from 'node:http';
import type { Knex } from 'knex';
import { createApp } from './app';
import { configurePasswordHashing } from './auth/passwords';
import { ConfigError, loadConfig } from './config';
import { migrateLatest } from './db/migrate';
import { createDb } from './db/knex';
import { describeNode, Heartbeat } from './cluster/heartbeat';
import { NodeStats } from './cluster/node-stats';
import { Lifecycle } from './health/lifecycle';
import { IdempotencyRepository } from './idempotency/idempotency.repository';
import { createLogger } from './lib/logger';
import { appVersion } from './lib/paths';
import { browserUrl, startupLine } from './lib/startup-line';
import { createRedis, redisCheck, redisLimiters, redisReady, redisSessionStore } from './redis';
import { RedisWaitingRoomStore } from './waiting-room/waiting-room.store';
import { BullJobQueue, InProcessJobQueue } from './jobs/job-queue';
import { demoSignIns, seedDemo } from '../seeds/demo';

// Below compose's stop_grace_period (25 s) and Kubernetes' 30 s grace minus the 5 s preStop pause.
const SHUTDOWN_TIMEOUT_MS = 20_000;
const IDEMPOTENCY_RETENTION_MS = 24 * 3_600_000;
// Above nginx's upstream keepalive_timeout (60 s), so nginx never reuses a socket node just closed.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** After listening, for the person who ran `npm start`: plain text on stdout, whatever the log format. */
async function printStartupLine(server: http.Server, demoPassword: string | undefined, db: Knex): Promise<void> {
  const address = server.address();
  if (!demoPassword || address === null || typeof address === 'string') return;
  const line = startupLine(browserUrl(address), await demoSignIns(db, demoPassword), demoPassword);
  if (line) process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config);
  configurePasswordHashing({ threads: config.login.hashConcurrency, nice: config.login.hashNice });
  const db = createDb(config.database, { idleTransactionSeconds: config.dbIdleTransactionSeconds });

  if (config.database.client === 'sqlite') {
    // The embedded default prepares itself; against MySQL, migrations are their own deploy step.
    const applied = await migrateLatest(db);
    if (applied.length > 0) logger.info({ applied }, 'migrated the embedded database');
    const seeded = await seedDemo(db, { demoPassword: config.demoPassword, onlyIfEmpty: true });
    if (seeded.students > 0) logger.info(seeded, 'seeded demo data');
  }

  const redis = config.redisUrl ? createRedis(config.redisUrl) : undefined;
  redis?.on('error', (err) => logger.warn({ err: err.message }, 'redis error'));
  if (redis) {
    // Serve anyway if Redis is late: /readyz reports it and ioredis keeps reconnecting.
    await redisReady(redis).catch((err: Error) => logger.warn(err.message));
  }
  const lifecycle = new Lifecycle();
  const nodeStats = new NodeStats();
  // Any node runs any job: BullMQ on the cluster's Redis; without Redis, in this process.
  const jobQueue = config.redisUrl
    ? new BullJobQueue({ redisUrl: config.redisUrl, lockMs: config.jobLockMs, logger })
    : new InProcessJobQueue(logger);
  const startedAt = new Date();
  const app = createApp({
    redis,
    nodeStats,
    startedAt,
    config,
    db,
    logger,
    lifecycle,
    sessionStore: redis ? redisSessionStore(redis) : undefined,
    sessionStoreReady: redis ? () => redis.status === 'ready' : undefined,
    makeLimiter: redis ? redisLimiters(redis) : undefined,
    extraChecks: redis ? [redisCheck(redis)] : [],
    waitingRoomStore: redis ? new RedisWaitingRoomStore(redis) : undefined,
    jobQueue,
  });

  const heartbeat = redis
    ? new Heartbeat(
        redis,
        () => describeNode(config.nodeId, appVersion(), startedAt, nodeStats, lifecycle),
        (err) => logger.warn({ err: err.message }, 'heartbeat failed'),
      )
    : undefined;
  heartbeat?.start();
  const idempotency = new IdempotencyRepository(db);
  const prune = setInterval(() => {
    idempotency
      .prune(IDEMPOTENCY_RETENTION_MS)
      .catch((err: Error) => logger.warn({ err: err.message }, 'prune failed'));
  }, 10 * 60_000);
  prune.unref();

  const server = http.createServer(app);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  server.listen(config.port, config.host, () => {
    logger.info(
      {
        node: config.nodeId,
        port: config.port,
        database: config.database.client,
        sessions: redis ? 'redis' : 'memory',
      },
      'listening',
    );
    void printStartupLine(server, config.demoPassword, db).catch((err: Error) =>
      logger.warn({ err: err.message }, 'could not check the demo accounts'),
    );
  });

  let isShuttingDown = false;
  const shutdown = (signal: string) => {
    if (isShuttingDown) return;
    isShuttingDown = true;
    logger.info({ signal }, 'draining');
    lifecycle.startDraining();
    clearInterval(prune);
    // Tell the cluster page at once; the key then expires and the node shows as gone.
    void heartbeat?.beat().catch(() => undefined);
    heartbeat?.stop();
    setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    server.close(async () => {
      // A job still running is released (BullMQ) or left to be taken up at the next start (in process).
      await jobQueue.close().catch(() => undefined);
      await Promise.allSettled([db.destroy(), redis?.quit()]);
      logger.info('stopped');
      process.exit(0);
    });
    // Sockets that finish a request after close() turn idle later: keep closing them until exit.
    server.closeIdleConnections();
    setInterval(() => server.closeIdleConnections(), 250).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  console.error('Start-up failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
