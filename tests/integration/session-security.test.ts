// Which sessions count, and what a session, a log or a cache may hold: the hardening of sign-in.
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createUser, type TestUser } from '../helpers/factories';
import { type Agent, csrfToken, loginAttempt, postForm, sessionCookie, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

const JSON_TYPE = 'application/json';

// As deployed (NODE_ENV=production: its own secret checks, no stack traces) and as tests usually run.
const MODES = {
  test: {},
  production: {
    NODE_ENV: 'production',
    SESSION_SECRET: 'a-production-session-secret-of-32-chars!',
    DEMO_PASSWORD: 'not-the-default-1',
  },
};

describe.each(Object.entries(MODES))('sign-in sessions (NODE_ENV=%s)', (_mode, modeEnv) => {
  let t: TestApp;
  let admin: Agent;

  beforeAll(async () => {
    t = await buildTestApp({
      env: { ...modeEnv, LOGIN_MAX_FAILURES: '3', SESSION_IDLE_MINUTES: '1440', SESSION_ABSOLUTE_HOURS: '2' },
    });
    admin = await signIn(t.app, await createUser(t.db, 'admin'));
  });
  afterAll(() => t.close());

  async function postJson(agent: Agent, path: string, body: Record<string, unknown> = {}) {
    const token = await csrfToken(agent, '/account/password');
    return agent.post(path).set('Accept', JSON_TYPE).set('X-CSRF-Token', token).send(body);
  }

  /** Whether the agent's session still opens a page for signed-in users (200) or is sent to sign in. */
  async function signedIn(agent: Agent): Promise<boolean> {
    const res = await agent.get('/account/password').set('Accept', 'text/html');
    if (res.status === 200) return true;
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/login');
    return false;
  }

  async function changePassword(agent: Agent, user: TestUser, next: string) {
    return postForm(agent, '/account/password', {
      current_password: user.password,
      new_password: next,
      confirm_password: next,
    });
  }

  describe('a password change, a reset or a deactivation ends the other sessions', () => {
    it('a password change ends every other session of the account, and keeps the one that made it', async () => {
      const user = await createUser(t.db, 'staff');
      const mine = await signIn(t.app, user);
      const stolen = await signIn(t.app, user);
      expect(await signedIn(stolen)).toBe(true);

      const res = await changePassword(mine, user, 'a-brand-new-password-1');
      expect(res.status).toBe(302);

      expect(await signedIn(mine)).toBe(true);
      expect(await signedIn(stolen)).toBe(false);
      expect((await stolen.get('/students').set('Accept', JSON_TYPE)).status).toBe(401);
      // Signing in again with the new password works as usual.
      await signIn(t.app, { username: user.username, password: 'a-brand-new-password-1' });
    });

    it('an administrator’s reset ends an attacker’s session, which stays dead after the owner’s new password', async () => {
      const user = await createUser(t.db, 'staff');
      const attacker = await signIn(t.app, user);
      const reset = await postJson(admin, `/admin/users/${user.id}/password-reset`);
      expect(reset.status).toBe(200);
      // Before the fix the attacker was held at "must change password" and got everything back below.
      expect(await signedIn(attacker)).toBe(false);

      const owner = await signIn(t.app, { username: user.username, password: reset.body.data.temporary_password });
      const changed = await postForm(owner, '/account/password', {
        current_password: reset.body.data.temporary_password,
        new_password: 'owner-picked-this-1',
        confirm_password: 'owner-picked-this-1',
      });
      expect(changed.status).toBe(302);
      expect(await signedIn(owner)).toBe(true);
      expect(await signedIn(attacker)).toBe(false);
      expect((await attacker.get('/students').set('Accept', 'text/html')).headers.location).toBe('/login');
    });

    it('a deactivation ends idle sessions too: reactivating the account does not revive them', async () => {
      const user = await createUser(t.db, 'staff');
      const idle = await signIn(t.app, user);
      expect((await postJson(admin, `/admin/users/${user.id}/deactivate`)).status).toBe(200);
      // The session is not used while the account is inactive, then the account comes back.
      expect((await postJson(admin, `/admin/users/${user.id}/reactivate`)).status).toBe(200);
      expect(await signedIn(idle)).toBe(false);
      await signIn(t.app, user);
    });

    it('an ended session is removed, not merely ignored: its cookie opens nothing afterwards', async () => {
      const user = await createUser(t.db, 'staff');
      const login = await loginAttempt(request.agent(t.app), user.username, user.password);
      const cookie = sessionCookie(login)!;
      await postJson(admin, `/admin/users/${user.id}/password-reset`);
      expect((await request(t.app).get('/account/password').set('Cookie', cookie)).status).toBe(302);
      expect((await request(t.app).get('/account/password').set('Cookie', cookie)).headers.location).toBe('/login');
    });
  });

  it('a sign-in ends after SESSION_ABSOLUTE_HOURS however busy it is (the idle timeout is longer here)', async () => {
    const user = await createUser(t.db, 'staff');
    const agent = await signIn(t.app, user);
    const start = Date.now();
    const clock = jest.spyOn(Date, 'now');
    try {
      clock.mockReturnValue(start + 110 * 60_000); // 1 h 50: still in
      expect(await signedIn(agent)).toBe(true);
      clock.mockReturnValue(start + 121 * 60_000); // 2 h 1: out, though used ten minutes ago
      expect(await signedIn(agent)).toBe(false);
    } finally {
      clock.mockRestore();
    }
  });

  describe('usernames', () => {
    it('other spellings of a name reach no account (MySQL’s collation used to sign them in), and say so generically', async () => {
      const user = await createUser(t.db, 'staff', { username: `staff${Date.now() % 100000}` });
      const variants = [
        user.username.replace('a', 'ä'),
        user.username.replace(/[a-z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)), // full width
        user.username.replace('ff', 'ﬀ'),
      ];
      for (const name of variants) {
        const res = await loginAttempt(request.agent(t.app), name, user.password);
        expect({ name, status: res.status }).toEqual({ name, status: 401 });
        expect(res.text).toContain('The username or password is not correct.');
      }
      const rows = await t.db('audit_log').where({ action: 'login', actor_id: user.id });
      expect(rows).toHaveLength(0);
    });

    it('the per-account budget is one for every spelling of the name: capitals and spaces share it', async () => {
      const user = await createUser(t.db, 'staff');
      for (const name of [user.username.toUpperCase(), ` ${user.username} `, user.username]) {
        const res = await loginAttempt(request.agent(t.app), name, 'wrong-one');
        expect(res.status).toBe(401);
      }
      const res = await loginAttempt(request.agent(t.app), user.username, user.password);
      expect(res.status).toBe(429);
    });
  });

  it('guesses of the current password are limited like sign-ins (429 after LOGIN_MAX_FAILURES), per account', async () => {
    const user = await createUser(t.db, 'staff');
    const agent = await signIn(t.app, user);
    for (let i = 0; i < 3; i++) {
      const res = await postForm(agent, '/account/password', {
        current_password: `guess-number-${i}`,
        new_password: 'whatever-new-password',
        confirm_password: 'whatever-new-password',
      });
      expect(res.status).toBe(422);
    }
    const blocked = await changePassword(agent, user, 'whatever-new-password');
    expect(blocked.status).toBe(429);
    const row = await t.db('users').where({ id: user.id }).first();
    expect(row.password_hash).toBe((await t.db('users').where({ id: user.id }).first()).password_hash);
    // Still the old password: the refused change wrote nothing.
    await signIn(t.app, user);
    // Another account is not affected.
    const other = await createUser(t.db, 'staff');
    expect((await changePassword(await signIn(t.app, other), other, 'other-new-password-1')).status).toBe(302);
  });

  describe('anonymous visits store nothing', () => {
    it('a protected page sends to sign in without a session, and sign-in returns to it', async () => {
      const user = await createUser(t.db, 'staff');
      const agent = request.agent(t.app);
      const res = await agent.get('/students?q=%E7%8E%8B&page=1').set('Accept', 'text/html');
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/login');
      expect(sessionCookie(res)).toBeUndefined();
      const login = await agent.get('/login').set('Accept', 'text/html');
      expect(sessionCookie(login)).toBeUndefined();
      const signed = await loginAttempt(agent, user.username, user.password);
      expect(signed.status).toBe(302);
      expect(signed.headers.location).toBe('/students?q=%E7%8E%8B&page=1');
    });

    it('a long address is not kept at all (at most 512 characters), and never one for another host', async () => {
      const long = await request(t.app)
        .get(`/students?q=${'x'.repeat(4000)}`)
        .set('Accept', 'text/html');
      expect(long.status).toBe(302);
      expect(long.headers['set-cookie']).toBeUndefined();
      const user = await createUser(t.db, 'staff');
      // A forged return cookie naming another host is ignored.
      const agent = request.agent(t.app);
      const token = await csrfToken(agent);
      const res = await agent
        .post('/login')
        .set('Cookie', 'sis.next=%2F%2Fevil.example%2F')
        .type('form')
        .send({ username: user.username, password: user.password, _csrf: token });
      expect(res.headers.location).toBe('/');
    });

    it('a language choice made before signing in is kept in a cookie, not a session', async () => {
      const agent = request.agent(t.app);
      const choose = await agent.get('/login?lang=zh-CN').set('Accept', 'text/html');
      expect(sessionCookie(choose)).toBeUndefined();
      expect(String(choose.headers['set-cookie'])).toMatch(/sis\.lang=zh-CN/);
      const later = await agent.get('/login').set('Accept', 'text/html').set('Accept-Language', 'en');
      expect(later.text).toContain('<html lang="zh-CN"');
    });
  });

  describe('caching', () => {
    it('signed-in pages and JSON are no-store; sign-out clears what the browser kept', async () => {
      const user = await createUser(t.db, 'staff');
      const agent = await signIn(t.app, user);
      for (const path of ['/', '/students', '/account/password', '/admin/users']) {
        const page = await agent.get(path).set('Accept', 'text/html');
        expect({ path, cache: page.headers['cache-control'] }).toEqual({ path, cache: 'no-store' });
      }
      const json = await agent.get('/students').set('Accept', JSON_TYPE);
      expect(json.headers['cache-control']).toBe('no-store');
      const out = await postForm(agent, '/logout', {});
      expect(out.headers['clear-site-data']).toBe('"cache", "cookies", "storage"');
    });

    it('static files keep their long cache', async () => {
      const css = await request(t.app).get('/static/css/app.css');
      expect(css.status).toBe(200);
      expect(css.headers['cache-control']).not.toBe('no-store');
    });
  });

  describe('/metrics', () => {
    it('answers the node itself, and refuses anything that came through a proxy', async () => {
      expect((await request(t.app).get('/metrics')).status).toBe(200);
      const proxied = await request(t.app).get('/metrics').set('X-Forwarded-For', '203.0.113.9');
      expect(proxied.status).toBe(403);
      expect(proxied.text).not.toContain('http_requests');
    });

    it('with METRICS_TOKEN, a scraper sending it as a Bearer token may read them from anywhere', async () => {
      const token = 'scrape-token-0123456789';
      const app = createApp({
        config: loadConfig({ NODE_ENV: 'test', ...modeEnv, METRICS_TOKEN: token }),
        db: t.db,
      });
      const ok = await request(app)
        .get('/metrics')
        .set('X-Forwarded-For', '10.0.0.5')
        .set('Authorization', `Bearer ${token}`);
      expect(ok.status).toBe(200);
      const wrong = await request(app).get('/metrics').set('Authorization', 'Bearer not-the-token-at-all');
      expect(wrong.status).toBe(403);
    });
  });
});

describe('logs never hold credentials', () => {
  it('cookies, Set-Cookie, CSRF tokens and Authorization headers are redacted, in production too', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const t = await buildTestApp();
    try {
      const user = await createUser(t.db, 'staff');
      for (const env of ['test', 'production'] as const) {
        const config = loadConfig({
          NODE_ENV: env,
          SESSION_SECRET: 'a-production-session-secret-of-32-chars!',
          DEMO_PASSWORD: 'not-the-default-1',
          LOG_LEVEL: 'info',
          NODE_ID: 'log-test',
        });
        const app = createApp({ config, db: t.db, logger: pino({ level: 'info' }, sink) });
        const agent = request.agent(app);
        const login = await loginAttempt(agent, user.username, user.password);
        const cookie = sessionCookie(login)!;
        expect(cookie).toBeDefined();
        await agent
          .get('/students')
          .set('Accept', JSON_TYPE)
          .set('X-CSRF-Token', 'csrf-token-in-a-header')
          .set('Authorization', 'Basic c2VjcmV0OnNlY3JldA==');
        const log = lines.join('');
        expect(log).toContain('[redacted]');
        expect(log).not.toContain(cookie.split('=')[1]!);
        expect(log).not.toContain('csrf-token-in-a-header');
        expect(log).not.toContain('c2VjcmV0OnNlY3JldA==');
        expect(log).not.toContain(user.password);
        expect(log).not.toMatch(/sis\.(sid|csrf)=/);
      }
    } finally {
      await t.close();
    }
  });
});
