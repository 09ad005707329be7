// The course-selection waiting room: at most SELECTION_ACTIVE_MAX students choose at once; the others see
// their place in line (a page that comes back by itself, or JSON 503 waiting_room); staff never wait.
import request from 'supertest';
import { createSection, createTerm, createUser } from '../helpers/factories';
import { enrolJson, type SignedInStudent, signedInStudent } from '../helpers/selection';
import { postForm, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

describe('the course-selection waiting room', () => {
  let t: TestApp;
  let sectionId: number;
  let inside: SignedInStudent[];

  beforeAll(async () => {
    t = await buildTestApp({ env: { SELECTION_ACTIVE_MAX: '2' } });
    const { id: termId } = await createTerm(t.db, { current: true });
    sectionId = (await createSection(t.db, { termId })).id;
    inside = [await signedInStudent(t.app, t.db), await signedInStudent(t.app, t.db)];
    for (const s of inside) expect((await s.agent.get('/sections')).text).not.toContain('data-waiting-room');
  });
  afterAll(() => t.close());

  it('shows the next student their place in line, in both languages, and brings them back by itself', async () => {
    const s = await signedInStudent(t.app, t.db);
    const res = await s.agent.get('/sections?lang=en');
    expect(res.status).toBe(200);
    expect(res.text).toContain('data-waiting-room data-position="1"');
    expect(res.text).toContain('You are number 1 in line.');
    expect(res.headers['refresh']).toBe('5; url=/sections?lang=en');
    expect(res.headers['retry-after']).toBe('5');
    const zh = await s.agent.get('/sections?lang=zh-CN');
    expect(zh.text).toContain('您目前排在第 1 位。');
    // The first place stays theirs: a later student is behind them.
    const later = await signedInStudent(t.app, t.db);
    const json = await later.agent.get('/sections').set('Accept', 'application/json');
    expect(json.status).toBe(503);
    expect(json.headers['retry-after']).toBe('5');
    expect(json.body.error.code).toBe('waiting_room');
    expect(json.body.error.waiting_room).toEqual({ position: 2, queued: 2 });
  });

  it("holds a waiting student's selection too: JSON 503, nothing written; the admitted keep choosing", async () => {
    const s = await signedInStudent(t.app, t.db);
    const res = await enrolJson(s.agent, s.token, sectionId);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('waiting_room');
    expect(await t.db('enrolments').where({ student_id: s.row.id })).toHaveLength(0);
    const admitted = await enrolJson(inside[0]!.agent, inside[0]!.token, sectionId);
    expect(admitted.status).toBe(201);
  });

  it('never queues staff or admins', async () => {
    for (const role of ['staff', 'admin'] as const) {
      const agent = await signIn(t.app, await createUser(t.db, role));
      const res = await agent.get('/sections').set('Accept', 'application/json');
      expect(res.status).toBe(200);
    }
  });

  it('shows the counts to admins on the cluster page and in /metrics', async () => {
    const admin = await signIn(t.app, await createUser(t.db, 'admin'));
    const page = await admin.get('/admin/cluster').set('Accept', 'application/json');
    expect(page.body.meta.selection.active).toBe(2);
    expect(page.body.meta.selection.queued).toBeGreaterThanOrEqual(3);
    const html = await admin.get('/admin/cluster');
    expect(html.text).toContain('data-selection-active>2<');
    const metrics = await request(t.app).get('/metrics');
    expect(metrics.text).toMatch(/sis_selection_active\{[^}]*\} 2/);
    expect(metrics.text).toMatch(/sis_selection_queued\{[^}]*\} [3-9]/);
  });
});

describe('signing out of a full waiting room', () => {
  it('hands the place of a student who signs out to the first in line at once', async () => {
    const t = await buildTestApp({ env: { SELECTION_ACTIVE_MAX: '1' } });
    try {
      await createTerm(t.db, { current: true });
      const first = await signedInStudent(t.app, t.db);
      expect((await first.agent.get('/sections').set('Accept', 'application/json')).status).toBe(200);
      const next = await signedInStudent(t.app, t.db);
      const waiting = await next.agent.get('/sections').set('Accept', 'application/json');
      expect([waiting.status, waiting.body.error.waiting_room]).toEqual([503, { position: 1, queued: 1 }]);
      expect((await postForm(first.agent, '/logout', {})).status).toBe(302);
      expect((await next.agent.get('/sections').set('Accept', 'application/json')).status).toBe(200);
      // Staff signing out touch nobody's place.
      const staff = await signIn(t.app, await createUser(t.db, 'staff'));
      expect((await postForm(staff, '/logout', {})).status).toBe(302);
      const later = await signedInStudent(t.app, t.db);
      expect((await later.agent.get('/sections').set('Accept', 'application/json')).status).toBe(503);
    } finally {
      await t.close();
    }
  });
});

describe('the waiting room holds only while selection is open, and only when configured', () => {
  it("lets everyone in when the student's window is closed", async () => {
    const t = await buildTestApp({ env: { SELECTION_ACTIVE_MAX: '1' } });
    try {
      await createTerm(t.db, { current: true, selection_opens_at: null, selection_closes_at: null });
      for (let i = 0; i < 3; i++) {
        const s = await signedInStudent(t.app, t.db);
        expect((await s.agent.get('/sections').set('Accept', 'application/json')).status).toBe(200);
      }
    } finally {
      await t.close();
    }
  });

  it('has no waiting room with SELECTION_ACTIVE_MAX unset', async () => {
    const t = await buildTestApp();
    try {
      await createTerm(t.db, { current: true });
      for (let i = 0; i < 3; i++) {
        const s = await signedInStudent(t.app, t.db);
        expect((await s.agent.get('/sections').set('Accept', 'application/json')).status).toBe(200);
      }
      expect((await request(t.app).get('/metrics')).text).not.toContain('sis_selection_active');
    } finally {
      await t.close();
    }
  });
});
