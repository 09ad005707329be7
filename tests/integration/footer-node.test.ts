// The node that answered is shown to admins, who run the cluster; students and staff do not see it (the
// X-Served-By header stays for tooling).
import { createUser } from '../helpers/factories';
import { signedInStudent } from '../helpers/selection';
import { signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';
import request from 'supertest';

describe('the footer node name', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('is shown to admins only', async () => {
    const admin = await signIn(t.app, await createUser(t.db, 'admin'));
    const staff = await signIn(t.app, await createUser(t.db, 'staff'));
    const student = (await signedInStudent(t.app, t.db)).agent;
    const adminPage = await admin.get('/').set('Accept', 'text/html');
    expect(adminPage.text).toContain('<strong data-node>test-node</strong>');
    for (const [who, res] of [
      ['staff', await staff.get('/').set('Accept', 'text/html')],
      ['student', await student.get('/me').set('Accept', 'text/html')],
      ['anonymous', await request(t.app).get('/login').set('Accept', 'text/html')],
    ] as const) {
      expect([who, res.status, res.text.includes('data-node>')]).toEqual([who, 200, false]);
      expect(res.headers['x-served-by']).toBe('test-node');
    }
  });
});
