// "a retried write is written once": the Idempotency-Key header and the forms' hidden _idem field.
import request from 'supertest';
import { IdempotencyRepository } from '../../src/idempotency/idempotency.repository';
import { createStudent, createUser, studentForm, type TestUser } from '../helpers/factories';
import { type Agent, csrfToken, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

describe('idempotent writes', () => {
  let t: TestApp;
  let staff: TestUser;
  let agent: Agent;
  let token: string;

  beforeAll(async () => {
    t = await buildTestApp();
    staff = await createUser(t.db, 'staff');
    agent = await signIn(t.app, staff);
    token = await csrfToken(agent, '/students/new');
  });
  afterAll(() => t.close());

  const count = async (table: string, where: Record<string, unknown> = {}) =>
    Number((await t.db(table).where(where).count({ n: '*' }))[0]!.n);

  function postJson(path: string, body: object, key?: string, as: Agent = agent, csrf = token) {
    const req = as.post(path).set('Accept', 'application/json').set('X-CSRF-Token', csrf);
    if (key) req.set('Idempotency-Key', key);
    return req.send(body);
  }

  it('answers a repeated JSON create with the first response and writes one row', async () => {
    const body = studentForm();
    const first = await postJson('/students', body, 'create-key-0001');
    const again = await postJson('/students', body, 'create-key-0001');
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.body).toEqual(first.body);
    expect(await count('students', { student_no: body.student_no })).toBe(1);
    expect(await count('audit_log', { action: 'create', entity_id: String(first.body.data.id) })).toBe(1);
  });

  it('writes once when the same request arrives several times at the same moment', async () => {
    const body = studentForm();
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => postJson('/students', body, 'parallel-key-0001')),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 201)).toBe(true);
    expect(new Set(responses.map((r) => r.body.data.id)).size).toBe(1);
    expect(await count('students', { student_no: body.student_no })).toBe(1);
  });

  it('refuses the same key with a different body (409) and writes nothing', async () => {
    await postJson('/students', studentForm(), 'reused-key-0001');
    const other = studentForm();
    const res = await postJson('/students', other, 'reused-key-0001');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('idempotency_key_reused');
    expect(await count('students', { student_no: other.student_no })).toBe(0);
  });

  it('replays a retried edit instead of refusing it as stale', async () => {
    const student = await createStudent(t.db);
    const body = { ...studentForm({ student_no: student.student_no, name: 'Edited Once' }), version: '1' };
    const first = await postJson(`/students/${student.id}`, body, 'edit-key-00001');
    const retry = await postJson(`/students/${student.id}`, body, 'edit-key-00001');
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body.data.version).toBe(2);
    expect((await t.db('students').where({ id: student.id }).first()).version).toBe(2);
    expect(await count('audit_log', { action: 'update', entity_id: String(student.id) })).toBe(1);
  });

  it('keeps nothing when the write fails, so the same key works once the input is fixed', async () => {
    const bad = studentForm({ email: 'not-an-email' });
    const refused = await postJson('/students', bad, 'fixme-key-0001');
    expect(refused.status).toBe(422);
    const fixed = await postJson('/students', { ...bad, email: 'fixed@example.edu' }, 'fixme-key-0001');
    expect(fixed.status).toBe(201);
    expect(await count('students', { student_no: bad.student_no })).toBe(1);
  });

  it('scopes keys to the user: another user with the same key makes their own write', async () => {
    const other = await signIn(t.app, await createUser(t.db, 'staff'));
    const otherToken = await csrfToken(other, '/students/new');
    const a = studentForm();
    const b = studentForm();
    expect((await postJson('/students', a, 'shared-key-0001')).status).toBe(201);
    const res = await postJson('/students', b, 'shared-key-0001', other, otherToken);
    expect(res.status).toBe(201);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect(await count('students', { student_no: b.student_no })).toBe(1);
  });

  it('rejects a malformed key with 422 and writes nothing', async () => {
    const body = studentForm();
    const res = await postJson('/students', body, 'bad key!');
    expect(res.status).toBe(422);
    expect(res.body.error.fields).toHaveProperty('idempotency_key');
    expect(await count('students', { student_no: body.student_no })).toBe(0);
  });

  it('treats a double-submitted form (same _idem) as one write and sends both to the same record', async () => {
    const page = await agent.get('/students/new');
    const idem = /name="_idem" value="([^"]+)"/.exec(page.text)![1]!;
    const body: Record<string, string> = { ...studentForm(), _csrf: token, _idem: idem };
    const first = await agent.post('/students').type('form').send(body);
    const second = await agent.post('/students').type('form').send(body);
    expect(first.status).toBe(302);
    expect(second.status).toBe(302);
    expect(second.headers.location).toBe(first.headers.location);
    expect(await count('students', { student_no: body.student_no })).toBe(1);
    const next = await agent.get(second.headers.location!);
    expect(next.text).toContain('This was already saved; nothing was changed twice.');
  });

  it('gives every rendered form a different one-time key', async () => {
    const keys = await Promise.all(
      [1, 2].map(async () => /name="_idem" value="([^"]+)"/.exec((await agent.get('/students/new')).text)![1]),
    );
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('forgets keys after their retention period', async () => {
    await postJson('/students', studentForm(), 'old-key-000001');
    await t.db('idempotency_keys').where({ idem_key: 'old-key-000001' }).update({ created_at: '2000-01-01 00:00:00' });
    const removed = await new IdempotencyRepository(t.db).prune(24 * 3600_000);
    expect(removed).toBeGreaterThanOrEqual(1);
    expect(await count('idempotency_keys', { idem_key: 'old-key-000001' })).toBe(0);
  });

  it('does not need a key: a write without one still works', async () => {
    const res = await request(t.app).get('/healthz');
    expect(res.status).toBe(200);
    const body = studentForm();
    expect((await postJson('/students', body)).status).toBe(201);
  });
});
