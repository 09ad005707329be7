// The operator's cluster page: admin only, this node always listed.
import request from 'supertest';
import { createUser } from '../helpers/factories';
import { type Agent, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

describe('the cluster page', () => {
  let t: TestApp;
  let admin: Agent;

  beforeAll(async () => {
    t = await buildTestApp({ env: { NODE_ID: 'page-node' } });
    admin = await signIn(t.app, await createUser(t.db, 'admin'));
  });
  afterAll(() => t.close());

  it('is for admins only', async () => {
    const staff = await signIn(t.app, await createUser(t.db, 'staff'));
    const student = await signIn(t.app, await createUser(t.db, 'student'));
    expect((await staff.get('/admin/cluster')).status).toBe(403);
    expect((await student.get('/admin/cluster')).status).toBe(403);
    const anonymous = await request(t.app).get('/admin/cluster');
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.location).toBe('/login');
  });

  it('shows a self-refreshing (pausable) table with this node up and its figures (HTML)', async () => {
    const res = await admin.get('/admin/cluster');
    expect(res.status).toBe(200);
    // Refreshed by public/js/app.js with a pause button (WCAG 2.2.1), not by a meta refresh.
    expect(res.text).toContain('data-auto-refresh="5"');
    expect(res.text).toContain('data-refresh-toggle');
    expect(res.text).not.toContain('http-equiv="refresh"');
    // The test app reads no heartbeats from Redis, so this node is the whole cluster it knows.
    expect(res.text).toMatch(/data-node-row="page-node"[\s\S]*?Up/);
    expect(res.text).toContain('href="/admin/cluster"');
  });

  it('answers JSON with this node, its version and its request count', async () => {
    await admin.get('/students');
    const res = await admin.get('/admin/cluster').set('Accept', 'application/json');
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0]).toMatchObject({
      nodeId: 'page-node',
      status: 'up',
      info: { version: expect.stringMatching(/^\d+\.\d+\.\d+/), state: 'ready', pid: process.pid },
    });
    expect(res.body.data[0].info.requests).toBeGreaterThan(0);
  });
});
