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
});
