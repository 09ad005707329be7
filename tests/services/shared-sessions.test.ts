// Two app nodes on one database and one Redis: a session made on one is valid on the other.
import request from 'supertest';
import { createUser, type TestUser } from '../helpers/factories';
import { csrfToken, postForm, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

describe('sessions shared through Redis', () => {
  let nodeA: TestApp;
  let nodeB: TestApp;
  let staff: TestUser;
  const oldSecret = 'old-secret-0123456789-0123456789-0123';
  const newSecret = 'new-secret-0123456789-0123456789-0123';

  beforeAll(async () => {
    nodeA = await buildTestApp({ env: { NODE_ID: 'node-a', SESSION_SECRET: oldSecret, LOGIN_MAX_FAILURES: '3' } });
    nodeB = await buildTestApp({
      shared: nodeA,
      env: { NODE_ID: 'node-b', SESSION_SECRET: `${newSecret},${oldSecret}`, LOGIN_MAX_FAILURES: '3' },
    });
    staff = await createUser(nodeA.db, 'staff');
  });
  afterAll(async () => {
    await nodeB.close();
    await nodeA.close();
  });

  function cookieOf(agent: request.Agent): string {
    const jar = (agent as unknown as { jar: { getCookie(name: string, opts: object): { toValueString(): string } } })
      .jar;
    return jar.getCookie('sis.sid', { domain: '127.0.0.1', path: '/', secure: false, script: false }).toValueString();
  }

  it('is signed in on node B with the cookie from node A, and B still accepts the rotated-out secret', async () => {
    const agentA = await signIn(nodeA.app, staff);
    const cookie = cookieOf(agentA);
    const onB = await request(nodeB.app).get('/students').set('Cookie', cookie);
    expect(onB.status).toBe(200);
    expect(onB.headers['x-served-by']).toBe('node-b');
    expect(onB.text).toContain(staff.username);
  });

  it('logging out on one node ends the session on the other', async () => {
    const agentA = await signIn(nodeA.app, staff);
    const cookie = cookieOf(agentA);
    const agentB = request.agent(nodeB.app);
    agentB.set('Cookie', cookie);
    expect((await agentB.get('/students')).status).toBe(200);
    await postForm(agentA, '/logout', {});
    const after = await request(nodeB.app).get('/students').set('Cookie', cookie);
    expect(after.status).toBe(302);
    expect(after.headers.location).toBe('/login');
  });

  it('stores the session in Redis with an idle expiry', async () => {
    const agentA = await signIn(nodeA.app, staff);
    const raw = decodeURIComponent(cookieOf(agentA).split('=')[1]!);
    const sid = raw.slice(2, raw.lastIndexOf('.'));
    const ttl = await nodeA.redis!.ttl(`sis:sess:${sid}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30 * 60);
  });

  it('counts failed sign-ins across nodes: two on A and one on B lock the username on both', async () => {
    const victim = await createUser(nodeA.db, 'staff');
    const attempt = async (node: TestApp, password: string) => {
      const agent = request.agent(node.app);
      const token = await csrfToken(agent);
      return agent.post('/login').type('form').send({ username: victim.username, password, _csrf: token });
    };
    expect((await attempt(nodeA, 'wrong-1')).status).toBe(401);
    expect((await attempt(nodeA, 'wrong-2')).status).toBe(401);
    expect((await attempt(nodeB, 'wrong-3')).status).toBe(401);
    expect((await attempt(nodeB, victim.password)).status).toBe(429);
    expect((await attempt(nodeA, victim.password)).status).toBe(429);
  });

  /** Every stored session's JSON, for what it must never hold. */
  async function allSessions(): Promise<string> {
    const redis = nodeA.redis!;
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', 'sis:sess:*', 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    const values = keys.length > 0 ? await redis.mget(keys) : [];
    return values.join('\n');
  }

  it('a password change on node B ends, at once, the session of the same account signed in on node A', async () => {
    const user = await createUser(nodeA.db, 'staff');
    const onA = await signIn(nodeA.app, user);
    const onB = await signIn(nodeB.app, user);
    const changed = await postForm(onB, '/account/password', {
      current_password: user.password,
      new_password: 'changed-on-node-b-1',
      confirm_password: 'changed-on-node-b-1',
    });
    expect(changed.status).toBe(302);
    const stale = await onA.get('/students').set('Accept', 'text/html');
    expect(stale.status).toBe(302);
    expect(stale.headers.location).toBe('/login');
    expect((await onB.get('/students').set('Accept', 'text/html')).status).toBe(200);
  });

  it('anonymous visits put nothing in Redis: not the page they asked for, not a language, not a CSRF token', async () => {
    const marker = `marker${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    for (const path of [
      `/students?q=${marker}`,
      `/login?lang=zh-CN&m=${marker}`,
      `/no-such-page-${marker}`,
      '/login',
    ]) {
      const res = await request(nodeA.app).get(path).set('Accept', 'text/html');
      expect(String(res.headers['set-cookie'] ?? '')).not.toMatch(/sis\.sid=/);
    }
    expect(await allSessions()).not.toContain(marker);
  });

  it('a temporary password from a reset is in no stored session (it is on the answer page only)', async () => {
    const admin = await signIn(nodeA.app, await createUser(nodeA.db, 'admin'));
    const user = await createUser(nodeA.db, 'staff');
    const res = await postForm(admin, `/admin/users/${user.id}/password-reset`, {});
    expect(res.status).toBe(200);
    const password = /(?:Temporary password|临时密码)[:：] ?([A-Za-z0-9]+)/.exec(res.text)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9]{14}$/);
    expect(await allSessions()).not.toContain(password!);
  });
});
