// "an audit row is traced by the server's own request id": nginx's id (X-Request-Id from a trusted proxy)
// or the node's own, never one a caller chose; a caller's id is kept apart as client_request_id.
import request from 'supertest';
import { createUser, studentForm } from '../helpers/factories';
import { type Agent, csrfToken, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function createWithIds(t: TestApp, agent: Agent, headers: Record<string, string>) {
  const token = await csrfToken(agent, '/students/new');
  const req = agent.post('/students').set('Accept', 'application/json').set('X-CSRF-Token', token);
  for (const [name, value] of Object.entries(headers)) req.set(name, value);
  const res = await req.send(studentForm());
  expect(res.status).toBe(201);
  const audit = await t
    .db('audit_log')
    .where({ action: 'create', entity_id: String(res.body.data.id) })
    .first('request_id', 'client_request_id');
  return { res, audit };
}

describe('request ids', () => {
  describe('behind a trusted proxy (nginx, on loopback here)', () => {
    let t: TestApp;
    let agent: Agent;
    beforeAll(async () => {
      t = await buildTestApp();
      agent = await signIn(t.app, await createUser(t.db, 'staff'));
    }, 30_000);
    afterAll(() => t.close());

    it("takes nginx's X-Request-Id as the request id and its X-Client-Request-Id as the caller's", async () => {
      const nginxId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
      const { res, audit } = await createWithIds(t, agent, {
        'X-Request-Id': nginxId,
        'X-Client-Request-Id': 'caller-trace-42',
      });
      console.log(`trusted proxy: response X-Request-Id ${res.headers['x-request-id']}, audit row`, audit);
      expect(res.headers['x-request-id']).toBe(nginxId);
      expect(audit).toEqual({ request_id: nginxId, client_request_id: 'caller-trace-42' });
    });

    it('makes its own id when nginx sent none, and keeps no client id when there is none or it is unusable', async () => {
      const { res, audit } = await createWithIds(t, agent, { 'X-Client-Request-Id': 'not usable!' });
      expect(res.headers['x-request-id']).toMatch(UUID);
      expect(audit).toEqual({ request_id: res.headers['x-request-id'], client_request_id: null });
    });
  });

  describe('from a caller that is not a trusted proxy', () => {
    let t: TestApp;
    let agent: Agent;
    beforeAll(async () => {
      // Only this (documentation) address would be trusted: the test's own loopback connection is not.
      t = await buildTestApp({ env: { TRUST_PROXY: '192.0.2.10' } });
      agent = await signIn(t.app, await createUser(t.db, 'staff'));
    }, 30_000);
    afterAll(() => t.close());

    it("never takes the caller's X-Request-Id as the request id: the node's own id, the caller's kept apart", async () => {
      const { res, audit } = await createWithIds(t, agent, {
        'X-Request-Id': 'forged-id-0001',
        'X-Client-Request-Id': 'also-forged',
      });
      console.log(`direct caller: response X-Request-Id ${res.headers['x-request-id']}, audit row`, audit);
      expect(res.headers['x-request-id']).toMatch(UUID);
      expect(audit).toEqual({ request_id: res.headers['x-request-id'], client_request_id: 'forged-id-0001' });
    });

    it("a sign-in's audit row keeps the caller's id apart too", async () => {
      const user = await createUser(t.db, 'staff');
      const fresh = request.agent(t.app);
      const token = await csrfToken(fresh);
      const res = await fresh
        .post('/login')
        .set('X-Request-Id', 'caller-login-0001')
        .type('form')
        .send({ username: user.username, password: user.password, _csrf: token });
      expect(res.status).toBe(302);
      const audit = await t
        .db('audit_log')
        .where({ action: 'login', actor_id: user.id })
        .first('request_id', 'client_request_id');
      expect(audit).toEqual({ request_id: res.headers['x-request-id'], client_request_id: 'caller-login-0001' });
    });

    it("answers an error under the server's id too", async () => {
      const res = await agent
        .get('/students/987654')
        .set('Accept', 'application/json')
        .set('X-Request-Id', 'forged-id-0002');
      expect(res.status).toBe(404);
      expect(res.headers['x-request-id']).toMatch(UUID);
      expect(res.body.error.requestId).toBe(res.headers['x-request-id']);
    });
  });
});
