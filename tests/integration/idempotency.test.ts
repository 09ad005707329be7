// "a retried write is written once": the Idempotency-Key header and the forms' hidden _idem field.
import { createHash } from 'node:crypto';
import request from 'supertest';
import en from '../../src/i18n/locales/en.json';
import { fingerprint, fingerprintKey } from '../../src/idempotency/fingerprint';
import { IdempotencyRepository } from '../../src/idempotency/idempotency.repository';
import { createStudent, createUser, PASSWORD, studentForm, type TestUser } from '../helpers/factories';
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

  /** A JSON write; `body` as text is sent as it is (a body too deep for JSON.stringify). */
  function postJson(path: string, body: object | string, key?: string, as: Agent = agent, csrf = token) {
    const req = as.post(path).set('Accept', 'application/json').set('X-CSRF-Token', csrf);
    if (key) req.set('Idempotency-Key', key);
    if (typeof body === 'string') req.set('Content-Type', 'application/json');
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

  it('treats two keys that differ only in case as two different writes', async () => {
    const a = studentForm();
    const b = studentForm();
    const first = await postJson('/students', a, 'Case-Key-0001');
    const second = await postJson('/students', b, 'case-key-0001');
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(second.body.data.id).not.toBe(first.body.data.id);
    expect(await count('students', { student_no: b.student_no })).toBe(1);
    const keys = await t
      .db('idempotency_keys')
      .where({ user_id: staff.id })
      .whereIn('idem_key', ['Case-Key-0001', 'case-key-0001']);
    expect(keys.map((k) => k.idem_key).sort()).toEqual(['Case-Key-0001', 'case-key-0001']);
    // The exact key still replays.
    const again = await postJson('/students', b, 'case-key-0001');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.data.id).toBe(second.body.data.id);
  });

  describe('a deeply nested JSON body', () => {
    /** A student whose address nests `levels` arrays deep, as JSON text (~2 bytes a level). */
    const deepBody = (levels: number) =>
      JSON.stringify({ ...studentForm(), address: '@' }).replace('"@"', '['.repeat(levels) + ']'.repeat(levels));

    it.each([
      ['with an idempotency key', 'deep-key-00001'],
      ['without one', undefined],
    ])('is refused with a 422 and a message, %s, and nothing is written', async (_label, key) => {
      const before = await count('students');
      const res = await postJson('/students', deepBody(40_000), key);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.fields).toEqual({ _form: en.validation.too_deep });
      expect(await count('students')).toBe(before);
      expect(await count('idempotency_keys', { idem_key: 'deep-key-00001' })).toBe(0);
    });

    it('is taken up to 32 levels (then the schema judges the field)', async () => {
      const res = await postJson('/students', deepBody(31), 'deep-key-00002');
      expect(res.status).toBe(422);
      expect(res.body.error.fields).toEqual({ address: en.validation.invalid });
    });
  });

  describe('what a stored key keeps of the request', () => {
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    /** Every stored image of a request or its outcome: idempotency keys and audit rows. */
    const storedText = async () =>
      JSON.stringify([await t.db('idempotency_keys').select('*'), await t.db('audit_log').select('*')]);

    it('a password change: the fingerprint is an HMAC without the passwords, and no row holds them', async () => {
      const user = await createUser(t.db, 'staff');
      const own = await signIn(t.app, user);
      const ownToken = await csrfToken(own, '/account/password');
      const newPassword = 'brand-new-password-42';
      const body = { current_password: PASSWORD, new_password: newPassword, confirm_password: newPassword };
      const res = await postJson('/account/password', body, 'pw-change-key-01', own, ownToken);
      expect(res.status).toBe(200);
      const row = await t.db('idempotency_keys').where({ user_id: user.id, idem_key: 'pw-change-key-01' }).first();
      // The same as the fingerprint of a body without the password fields: they never enter it.
      const key = fingerprintKey(t.config.sessionSecrets[0]!);
      expect(row.fingerprint).toBe(fingerprint(key, 'POST', '/account/password', {}));
      // What it used to be: an unsalted SHA-256 over the passwords, which anyone could test guesses against.
      const oldStyle = Object.entries(body).sort(([a], [b]) => a.localeCompare(b));
      expect(row.fingerprint).not.toBe(sha256(`POST /account/password\n${JSON.stringify(oldStyle)}`));
      const stored = await storedText();
      for (const secret of [PASSWORD, newPassword]) {
        expect(stored).not.toContain(secret);
        expect(stored).not.toContain(sha256(secret));
      }
      // A retry with the same key is answered as the first time, and changes nothing again.
      const retry = await postJson('/account/password', body, 'pw-change-key-01', own, ownToken);
      expect(retry.status).toBe(200);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(await count('audit_log', { action: 'password_change', entity_id: String(user.id) })).toBe(1);
    });

    it('an account created or reset by an admin: the temporary password is shown once and stored nowhere', async () => {
      const admin = await signIn(t.app, await createUser(t.db, 'admin'));
      const adminToken = await csrfToken(admin, '/admin/users/new');
      const created = await postJson(
        '/admin/users',
        { username: `idem_${Date.now()}`, role: 'student', student_id: String((await createStudent(t.db)).id) },
        'admin-create-key-1',
        admin,
        adminToken,
      );
      expect(created.status).toBe(201);
      const reset = await postJson(
        `/admin/users/${created.body.data.id}/password-reset`,
        {},
        'admin-reset-key-01',
        admin,
        adminToken,
      );
      expect(reset.status).toBe(200);
      const passwords = [created.body.data.temporary_password, reset.body.data.temporary_password] as string[];
      expect(passwords.every((p) => typeof p === 'string' && p.length >= 10)).toBe(true);
      const stored = await storedText();
      for (const secret of passwords) {
        expect(stored).not.toContain(secret);
        expect(stored).not.toContain(sha256(secret));
      }
      const replayed = await postJson(
        `/admin/users/${created.body.data.id}/password-reset`,
        {},
        'admin-reset-key-01',
        admin,
        adminToken,
      );
      expect(replayed.headers['idempotent-replayed']).toBe('true');
      expect(replayed.body.data.temporary_password).toBeNull();
    });
  });

  it('does not need a key: a write without one still works', async () => {
    const res = await request(t.app).get('/healthz');
    expect(res.status).toBe(200);
    const body = studentForm();
    expect((await postJson('/students', body)).status).toBe(201);
  });
});
