// A dependency that is down gives quick, clear 503s and a /readyz that names it; the node stays up.
import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createDb } from '../../src/db/knex';
import { createRedis, redisCheck, redisSessionStore } from '../../src/redis';
import { createTestDb, type TestDb } from '../helpers/test-db';

// Nothing listens on these loopback ports: a real refused connection, not a mock.
const DEAD_REDIS = 'redis://127.0.0.1:6399';
const DEAD_MYSQL = 'mysql://root@127.0.0.1:3399/none';

function build(db: ReturnType<typeof createDb>, redis?: ReturnType<typeof createRedis>): Express {
  const config = loadConfig({
    NODE_ENV: 'production',
    SESSION_SECRET: 'z'.repeat(40),
    LOG_LEVEL: 'silent',
    NODE_ID: 'outage-node',
  });
  return createApp({
    config,
    db,
    logger: pino({ level: 'silent' }),
    sessionStore: redis ? redisSessionStore(redis) : undefined,
    sessionStoreReady: redis ? () => redis.status === 'ready' : undefined,
    extraChecks: redis ? [redisCheck(redis)] : [],
  });
}

describe('Redis is down', () => {
  let t: TestDb;
  const redis = createRedis(DEAD_REDIS);
  redis.on('error', () => {}); // expected: nothing is listening
  beforeAll(async () => {
    t = await createTestDb('mysql');
  });
  afterAll(async () => {
    redis.disconnect();
    await t.drop();
  });

  it('answers pages with a clear 503 within two seconds', async () => {
    const app = build(t.db, redis);
    const started = Date.now();
    const res = await request(app).get('/login');
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.text).toContain('The service is briefly unavailable.');
    const json = await request(app).get('/students').set('Accept', 'application/json');
    expect(json.status).toBe(503);
    expect(json.body.error.code).toBe('service_unavailable');
  });

  it('names Redis in /readyz while /healthz stays 200', async () => {
    const app = build(t.db, redis);
    const ready = await request(app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.failing).toEqual(['redis']);
    expect(ready.body.checks).toEqual({ database: 'ok', redis: 'failing' });
    expect((await request(app).get('/healthz')).status).toBe(200);
  });
});

describe('the database is down', () => {
  const db = createDb({ client: 'mysql', url: DEAD_MYSQL });
  afterAll(() => db.destroy());

  it('answers a sign-in with a clear 503 and /readyz names the database', async () => {
    const app = build(db);
    const agent = request.agent(app);
    const page = await agent.get('/login');
    expect(page.status).toBe(200); // the form needs no database
    const token = /name="csrf-token" content="([^"]+)"/.exec(page.text)![1]!;
    const started = Date.now();
    const res = await agent
      .post('/login')
      .type('form')
      .send({ username: 'admin', password: 'whatever-it-is', _csrf: token });
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(res.status).toBe(503);
    expect(res.text).toContain('The service is briefly unavailable.');
    const ready = await request(app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.failing).toEqual(['database']);
  });
});
