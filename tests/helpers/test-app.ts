import { randomUUID } from 'node:crypto';
// Builds the real app (createApp) on a real test database, with Redis sessions on the services target.
import type { Express } from 'express';
import type session from 'express-session';
import type { Knex } from 'knex';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { createApp } from '../../src/app';
import { type Config, loadConfig } from '../../src/config';
import { Lifecycle } from '../../src/health/lifecycle';
import { createRedis, redisCheck, redisLimiters, redisReady, redisSessionStore } from '../../src/redis';
import { RedisWaitingRoomStore } from '../../src/waiting-room/waiting-room.store';
import { InProcessJobQueue } from '../../src/jobs/job-queue';
import { opening, track } from './open-resources';
import { createTestDb, REDIS_URL, testTarget, type TestDb } from './test-db';

export interface TestApp {
  app: Express;
  db: Knex;
  config: Readonly<Config>;
  lifecycle: Lifecycle;
  redis?: Redis;
  rateLimitPrefix: string;
  /** The app's background jobs (in this process): `jobs.idle()` waits for what was queued. */
  jobs: InProcessJobQueue;
  close: () => Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Reuse another test app's database (two nodes sharing one database). */
  shared?: TestApp;
  /** Sessions kept here instead (a test that looks into them); otherwise Redis or in-process. */
  sessionStore?: session.Store;
}

export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  return opening(build(options));
}

async function build(options: TestAppOptions): Promise<TestApp> {
  const target = testTarget();
  const testDb: TestDb | undefined = options.shared ? undefined : await createTestDb(target);
  const db = options.shared?.db ?? testDb!.db;
  const redis = target === 'mysql' ? createRedis(REDIS_URL) : undefined;
  const closeRedis = redis ? track('a Redis client', () => quitRedis(redis)) : undefined;
  const jobs = new InProcessJobQueue();
  const close = async () => {
    try {
      await jobs.close();
      await closeRedis?.();
    } finally {
      await testDb?.drop();
    }
  };
  try {
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      NODE_ID: 'test-node',
      // A test's own synchronous setup (better-sqlite3 rows, a bulk seed) stalls the event loop for longer
      // than the lag bound; lag shedding is tested where a test asks for it (load-shedding.test.ts).
      OVERLOAD_MAX_LAG_MS: '0',
      ...options.env,
    });
    if (redis) await redisReady(redis); // fail the suite at once when Redis is missing
    // Shared Redis outlives a test run: each app (or group of "nodes") counts failed sign-ins apart.
    const rateLimitPrefix = options.shared?.rateLimitPrefix ?? `test-${randomUUID()}`;
    const lifecycle = new Lifecycle();
    const app = createApp({
      config,
      db,
      lifecycle,
      logger: pino({ level: 'silent' }),
      sessionStore: options.sessionStore ?? (redis ? redisSessionStore(redis) : undefined),
      sessionStoreReady: redis ? () => redis.status === 'ready' : undefined,
      makeLimiter: redis ? redisLimiters(redis, `sis:rl:${rateLimitPrefix}`) : undefined,
      extraChecks: redis ? [redisCheck(redis)] : [],
      // Each app (or group of "nodes") has a waiting room of its own on the shared Redis.
      waitingRoomStore: redis ? new RedisWaitingRoomStore(redis, `sis:wr:${rateLimitPrefix}`) : undefined,
      jobQueue: jobs,
    });
    return { app, db, config, lifecycle, redis, rateLimitPrefix, jobs, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** QUIT when connected; a client still connecting (or never connected) is dropped instead of waited on. */
async function quitRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    try {
      await redis.quit();
      return;
    } catch {
      // fall through: drop the socket
    }
  }
  redis.disconnect();
}
