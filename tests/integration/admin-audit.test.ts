// The audit log viewer: admin only, filters, newest first in pages, each row's before and after.
import request from 'supertest';
import { createAuditRow, createUser, uniqueTag } from '../helpers/factories';
import { type Agent, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

const JSON_TYPE = 'application/json';

describe('the audit log viewer', () => {
  let t: TestApp;
  let admin: Agent;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await signIn(t.app, await createUser(t.db, 'admin'));
  });
  afterAll(() => t.close());

  const json = (query: string) => admin.get(`/admin/audit?${query}`).set('Accept', JSON_TYPE);

  it('is for admins only', async () => {
    for (const role of ['staff', 'student'] as const) {
      const agent = await signIn(t.app, await createUser(t.db, role));
      expect((await agent.get('/admin/audit').set('Accept', 'text/html')).status).toBe(403);
      expect((await agent.get('/admin/audit').set('Accept', JSON_TYPE)).body.error.code).toBe('forbidden');
    }
    const anonymous = await request(t.app).get('/admin/audit').set('Accept', 'text/html');
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.location).toBe('/login');
    expect((await request(t.app).get('/admin/audit').set('Accept', JSON_TYPE)).status).toBe(401);
  });

  it('says how many entries and in which zone the times are as two sentences; date filters are narrow', async () => {
    const actor = `a${uniqueTag()}`;
    await createAuditRow(t.db, { actor });
    const html = (await admin.get(`/admin/audit?actor=${actor}&lang=en`).set('Accept', 'text/html')).text;
    expect(html).toMatch(/<p class="muted" role="status" data-audit-count>1 entry<\/p>/);
    expect(html).toMatch(/<p class="muted" data-audit-zone>Times are shown in [^<]+\.<\/p>/);
    expect(html.match(/<div class="field field-date">/g)).toHaveLength(2);
  });

  it('filters by actor, entity, entity id, action and dates, newest first', async () => {
    const actor = `a${uniqueTag()}`;
    const first = await createAuditRow(t.db, {
      actor,
      entity: 'course',
      entityId: '7',
      action: 'create',
      at: '2026-03-01 08:00:00',
    });
    const second = await createAuditRow(t.db, {
      actor,
      entity: 'course',
      entityId: '7',
      action: 'update',
      at: '2026-03-02 09:00:00',
    });
    const third = await createAuditRow(t.db, {
      actor,
      entity: 'course',
      entityId: '8',
      action: 'update',
      at: '2026-03-03 23:59:59',
    });
    await createAuditRow(t.db, { actor: 'someone-else', entity: 'course', entityId: '7', action: 'update' });
    const ids = async (query: string) => ((await json(query)).body.data as { id: number }[]).map((r) => r.id);

    expect(await ids(`actor=${actor}`)).toEqual([third, second, first]);
    expect(await ids(`actor=${actor}&entity_id=7`)).toEqual([second, first]);
    expect(await ids(`actor=${actor}&action=update`)).toEqual([third, second]);
    expect(await ids(`actor=${actor}&entity=student`)).toEqual([]);
    // Days are Beijing days (TIME_ZONE's default): 2026-03-03 23:59:59 UTC is already 4 March there.
    expect(await ids(`actor=${actor}&from=2026-03-02&to=2026-03-02`)).toEqual([second]);
    expect(await ids(`actor=${actor}&from=2026-03-02`)).toEqual([third, second]);
    expect(await ids(`actor=${actor}&to=2026-03-03`)).toEqual([second, first]);
    expect(await ids(`actor=${actor}&from=2026-03-04&to=2026-03-04`)).toEqual([third]);
  });

  it('pages through the results', async () => {
    const actor = `p${uniqueTag()}`;
    const made: number[] = [];
    for (let i = 0; i < 5; i++) made.push(await createAuditRow(t.db, { actor }));
    const page1 = await json(`actor=${actor}&size=2`);
    expect(page1.body.meta).toEqual({
      page: 1,
      size: 2,
      total: 5,
      pages: 3,
      total_exact: true,
      next: expect.stringMatching(/^\/admin\/audit\?actor=.*&page=2&after=/),
    });
    expect(page1.body.data.map((r: { id: number }) => r.id)).toEqual([made[4], made[3]]);
    const page3 = await json(`actor=${actor}&size=2&page=3`);
    expect(page3.body.data.map((r: { id: number }) => r.id)).toEqual([made[0]]);
    // The keyset cursors page the same way: on from page 1's last entry, back from page 3's first.
    const page2 = await json(page1.body.meta.next.slice('/admin/audit?'.length));
    expect(page2.body.data.map((r: { id: number }) => r.id)).toEqual([made[2], made[1]]);
    const back = await json(page3.body.meta.prev.slice('/admin/audit?'.length));
    expect(back.body.data.map((r: { id: number }) => r.id)).toEqual([made[2], made[1]]);

    const html = await admin.get(`/admin/audit?actor=${actor}&size=2&page=2`).set('Accept', 'text/html');
    expect(html.text).toContain('Page 2 of 3');
    expect(html.text).toContain(`actor=${actor}&amp;size=2&amp;page=3`);
    expect(html.text).toContain(`data-audit-id="${made[2]}"`);
    expect(html.text).not.toContain(`data-audit-id="${made[4]}"`);
  });

  it('shows before and after field by field, the changed ones marked, and escapes everything', async () => {
    const actor = `d${uniqueTag()}`;
    const id = await createAuditRow(t.db, {
      actor,
      before: { name: '<script>alert(1)</script>', phone: '13800138000', version: 1 },
      after: { name: '张三 & <b>李四</b>', phone: '13800138000', version: 2, email: 'x@example.edu' },
    });

    const res = await admin.get(`/admin/audit?actor=${actor}`).set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.text).toContain('张三 &amp; &lt;b&gt;李四&lt;/b&gt;');
    const entry = new RegExp(`data-audit-id="${id}"[\\s\\S]*?</details>`).exec(res.text)![0];
    expect(entry).toContain('<details>');
    expect(entry).toMatch(/data-field="name" data-changed/);
    expect(entry).toMatch(/data-field="email" data-changed/);
    expect(entry).toMatch(/data-field="phone">/);
    // The version is bookkeeping: the JSON keeps it, the page leaves it out.
    expect(entry).not.toContain('data-field="version"');
    expect(entry).toContain('2 fields changed');
    expect(res.text).not.toMatch(/<script(?! src)/);

    const data = (await json(`actor=${actor}`)).body.data[0];
    expect(data.before.name).toBe('<script>alert(1)</script>');
    expect(data.changes).toEqual([
      { field: 'name', before: '<script>alert(1)</script>', after: '张三 & <b>李四</b>' },
      { field: 'version', before: '1', after: '2' },
      { field: 'email', before: null, after: 'x@example.edu' },
    ]);
  });

  it('lists the rows the app writes itself (sign-ins of users)', async () => {
    const res = await admin.get('/admin/audit?entity=user&action=login').set('Accept', JSON_TYPE);
    expect(res.body.data.length).toBeGreaterThan(0);
    expect(res.body.data[0]).toMatchObject({ entity: 'user', action: 'login' });
  });

  it('refuses bad filters with a field error (422)', async () => {
    const cases: [string, string][] = [
      ['from=2026-13-01', 'from'],
      ['to=yesterday', 'to'],
      ['from=2026-03-05&to=2026-03-01', 'to'],
      ['page=0', 'page'],
      [`actor=${'a'.repeat(65)}`, 'actor'],
      ['action=frobnicate', 'action'],
      ['entity=spaceship', 'entity'],
    ];
    for (const [query, field] of cases) {
      const res = await json(query);
      expect({ query, status: res.status }).toEqual({ query, status: 422 });
      expect(Object.keys(res.body.error.fields)).toEqual([field]);
      const html = await admin.get(`/admin/audit?${query}`).set('Accept', 'text/html');
      expect(html.status).toBe(422);
      expect(html.text).toContain(`<code>${field}</code>`);
    }
  });
});
