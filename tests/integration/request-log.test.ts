// The request log as a developer at a terminal reads it (LOG_FORMAT=pretty, or the default on a TTY).
import request from 'supertest';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/lib/logger';
import { buildTestApp, type TestApp } from '../helpers/test-app';

describe('the development request log', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  function appLogging(env: Record<string, string>, isTTY: boolean) {
    const lines: string[] = [];
    const out = { isTTY, write: (text: string) => lines.push(...text.split('\n').filter(Boolean)) };
    const config = loadConfig({ NODE_ENV: 'development', NODE_ID: 'log-test', OVERLOAD_MAX_LAG_MS: '0', ...env });
    return { app: createApp({ config, db: t.db, logger: createLogger(config, out) }), lines };
  }

  it('is one short line per request on a terminal, without headers or cookies', async () => {
    const { app, lines } = appLogging({}, true);
    await request(app).get('/login').set('Cookie', 'sis.sid=s%3Asecret-cookie').expect(200);
    await request(app).get('/no-such-page').expect(404);
    const requests = lines.filter((l) => / \/(login|no-such-page) /.test(l));
    expect(requests).toEqual([
      expect.stringMatching(/^\d\d:\d\d:\d\d GET \/login 200 \d+ms$/),
      expect.stringMatching(/^\d\d:\d\d:\d\d GET \/no-such-page 404 \d+ms$/),
    ]);
    expect(lines.join('\n')).not.toContain('secret-cookie');
  });

  it('stays JSON off a terminal, and with LOG_FORMAT=json on one', async () => {
    for (const [env, isTTY] of [
      [{}, false],
      [{ LOG_FORMAT: 'json' }, true],
    ] as const) {
      const { app, lines } = appLogging(env, isTTY);
      await request(app).get('/login').expect(200);
      const entry = lines.map((l) => JSON.parse(l) as { req?: { url?: string }; res?: { statusCode?: number } });
      expect(entry.find((e) => e.req?.url === '/login')?.res?.statusCode).toBe(200);
    }
  });
});
