// Staff keep student records: create, read, update, archive and restore, each change audited once.
import type { Response } from 'supertest';
import type { AuditRow } from '../../src/audit/audit.repository';
import { StudentsRepository, type StudentRow } from '../../src/students/students.repository';
import { createClass, createStudent, createUser, studentForm, type TestUser } from '../helpers/factories';
import { type Agent, csrfToken, postForm, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

describe('keeping student records', () => {
  let t: TestApp;
  let repo: StudentsRepository;
  let staffUser: TestUser;
  let adminUser: TestUser;
  let staff: Agent;
  let admin: Agent;

  beforeAll(async () => {
    t = await buildTestApp();
    repo = new StudentsRepository(t.db);
    staffUser = await createUser(t.db, 'staff');
    adminUser = await createUser(t.db, 'admin');
    staff = await signIn(t.app, staffUser);
    admin = await signIn(t.app, adminUser);
  });
  afterAll(() => t.close());

  const row = async (id: number) => (await repo.findById(id))!;

  async function auditFor(id: number, action?: string): Promise<AuditRow[]> {
    const q = t.db<AuditRow>('audit_log').where({ entity: 'student', entity_id: String(id) });
    if (action) q.where({ action });
    return q.orderBy('id');
  }

  /** The one audit row a change must leave, checked field by field. */
  async function expectOneAudit(
    id: number,
    action: string,
    res: Response,
    actor: TestUser,
  ): Promise<{ before: Record<string, unknown> | null; after: Record<string, unknown> }> {
    const rows = await auditFor(id, action);
    expect(rows).toHaveLength(1);
    const audit = rows[0]!;
    expect(audit).toMatchObject({
      action,
      entity: 'student',
      entity_id: String(id),
      actor_id: actor.id,
      actor_username: actor.username,
      node_id: 'test-node',
    });
    expect(res.headers['x-request-id']).toBeTruthy();
    expect(audit.request_id).toBe(res.headers['x-request-id']);
    expect(audit.after_json).not.toBeNull();
    return {
      before: audit.before_json === null ? null : JSON.parse(audit.before_json),
      after: JSON.parse(audit.after_json!),
    };
  }

  async function postJson(agent: Agent, path: string, body: Record<string, unknown>): Promise<Response> {
    const token = await csrfToken(agent, '/account/password');
    return agent.post(path).set('Accept', 'application/json').set('X-CSRF-Token', token).send(body);
  }

  async function listed(agent: Agent, q: string, archived = false): Promise<string> {
    const res = await agent
      .get('/students')
      .query({ q, ...(archived && { archived: '1' }) })
      .set('Accept', 'text/html');
    expect(res.status).toBe(200);
    return res.text;
  }

  describe('creating', () => {
    it('saves a record from the form, redirects to it and says so once', async () => {
      const form = studentForm({ name: 'Ada Lovelace', address: '12 St James Square' });
      const res = await postForm(staff, '/students', form);
      expect(res.status).toBe(302);
      const id = Number(/^\/students\/(\d+)$/.exec(res.headers.location!)?.[1]);
      expect(id).toBeGreaterThan(0);

      const saved = await row(id);
      expect(saved).toMatchObject({
        student_no: form.student_no,
        name: 'Ada Lovelace',
        gender: form.gender,
        birth_date: form.birth_date,
        email: form.email,
        phone: form.phone,
        address: '12 St James Square',
        enrolment_year: 2024,
        status: 'enrolled',
        class_id: null,
        version: 1,
        created_by: staffUser.id,
        updated_by: staffUser.id,
        deleted_at: null,
      });

      const page = await staff.get(res.headers.location!).set('Accept', 'text/html');
      expect(page.status).toBe(200);
      expect(page.text).toContain('Ada Lovelace was added.');
      const again = await staff.get(res.headers.location!).set('Accept', 'text/html');
      expect(again.text).not.toContain('was added.');

      const { before, after } = await expectOneAudit(id, 'create', res, staffUser);
      expect(before).toBeNull();
      expect(after).toMatchObject({ id, student_no: form.student_no, name: 'Ada Lovelace', version: 1 });
    });

    it('answers JSON with 201, a Location header and the record at version 1', async () => {
      const klass = await createClass(t.db);
      const form = studentForm({ name: 'Grace Hopper', gender: 'female', class_id: String(klass.id) });
      const res = await postJson(staff, '/students', form);
      expect(res.status).toBe(201);
      const id = res.body.data.id as number;
      expect(res.headers.location).toBe(`/students/${id}`);
      expect(res.body.data).toEqual({
        id,
        student_no: form.student_no,
        name: 'Grace Hopper',
        gender: 'female',
        birth_date: form.birth_date,
        email: form.email,
        phone: form.phone,
        address: form.address,
        enrolment_year: 2024,
        status: 'enrolled',
        class_id: klass.id,
        version: 1,
        archived: false,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      expect(await row(id)).toMatchObject({ name: 'Grace Hopper', class_id: klass.id, version: 1 });
      await expectOneAudit(id, 'create', res, staffUser);
    });

    it('keeps the request id nginx sent in the audit row', async () => {
      const token = await csrfToken(staff, '/account/password');
      const res = await staff
        .post('/students')
        .set('Accept', 'application/json')
        .set('X-CSRF-Token', token)
        .set('X-Request-Id', 'crud-test-request-0001')
        .send(studentForm());
      expect(res.status).toBe(201);
      expect(res.headers['x-request-id']).toBe('crud-test-request-0001');
      await expectOneAudit(res.body.data.id, 'create', res, staffUser);
    });

    it('refuses an invalid record with 422, keeps the entries and writes nothing', async () => {
      const form = studentForm({ name: 'Kept Name', email: 'not-an-email', enrolment_year: '' });
      const auditBefore = await t.db('audit_log').count({ n: '*' });
      const res = await postForm(staff, '/students', form);
      expect(res.status).toBe(422);
      expect(res.text).toContain('Enter an email address such as name@example.edu.');
      expect(res.text).toContain('This field is required.');
      expect(res.text).toContain('value="Kept Name"');
      expect(await t.db('students').where({ student_no: form.student_no }).first()).toBeUndefined();
      expect(await t.db('audit_log').count({ n: '*' })).toEqual(auditBefore);
    });
  });

  describe('reading', () => {
    it('shows every field on the detail page', async () => {
      const s = await createStudent(t.db, {
        name: 'Detail Person',
        gender: 'male',
        birth_date: '2003-02-28',
        email: 'detail.person@students.example.edu',
        phone: '+86 10 1234 5678',
        address: 'Room 5, Building 9',
        enrolment_year: 2022,
        status: 'suspended',
      });
      const res = await staff.get(`/students/${s.id}`).set('Accept', 'text/html');
      expect(res.status).toBe(200);
      for (const text of [
        'Detail Person',
        s.student_no,
        'Male',
        '2003-02-28',
        'detail.person@students.example.edu',
        '+86 10 1234 5678',
        'Room 5, Building 9',
        '2022',
        'Suspended',
      ]) {
        expect(res.text).toContain(text);
      }
    });

    it('escapes what users typed on the detail, edit and list pages', async () => {
      const s = await createStudent(t.db, {
        name: 'Eve <script>alert(1)</script>',
        address: '<img src=x onerror=alert(2)>',
      });
      for (const path of [`/students/${s.id}`, `/students/${s.id}/edit`, `/students?q=${s.student_no}`]) {
        const res = await staff.get(path).set('Accept', 'text/html');
        expect(res.status).toBe(200);
        expect(res.text).toContain('Eve &lt;script&gt;alert(1)&lt;/script&gt;');
        expect(res.text).not.toContain('<script>alert(1)</script>');
        expect(res.text).not.toContain('<img src=x');
      }
    });

    it('answers JSON with the record', async () => {
      const s = await createStudent(t.db, { name: 'Json Reader' });
      const res = await staff.get(`/students/${s.id}`).set('Accept', 'application/json');
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ id: s.id, student_no: s.student_no, name: 'Json Reader', version: 1 });
    });

    it('gives 404 for an unknown or malformed id', async () => {
      for (const path of ['/students/999999999', '/students/abc', '/students/999999999/edit']) {
        const res = await staff.get(path).set('Accept', 'application/json');
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('not_found');
      }
    });
  });

  describe('updating', () => {
    it('saves the form, increments the version and audits before and after', async () => {
      const s = await createStudent(t.db, { name: 'Before Name' });
      const edit = await staff.get(`/students/${s.id}/edit`).set('Accept', 'text/html');
      expect(edit.text).toContain('<input type="hidden" name="version" value="1">');

      const form = studentForm({
        student_no: s.student_no,
        name: 'After Name',
        email: 'after@students.example.edu',
        status: 'graduated',
        version: '1',
      });
      const res = await postForm(staff, `/students/${s.id}`, form);
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(`/students/${s.id}`);

      expect(await row(s.id)).toMatchObject({
        name: 'After Name',
        email: 'after@students.example.edu',
        status: 'graduated',
        version: 2,
        updated_by: staffUser.id,
        created_at: s.created_at,
      });
      const page = await staff.get(`/students/${s.id}`).set('Accept', 'text/html');
      expect(page.text).toContain('After Name was saved.');

      const { before, after } = await expectOneAudit(s.id, 'update', res, staffUser);
      expect(before).toMatchObject({ id: s.id, name: 'Before Name', status: 'enrolled', version: 1 });
      expect(after).toMatchObject({ id: s.id, name: 'After Name', status: 'graduated', version: 2 });
    });

    it('answers JSON with the saved record at the next version', async () => {
      const s = await createStudent(t.db);
      const res = await postJson(staff, `/students/${s.id}`, {
        ...studentForm({ student_no: s.student_no, name: 'Json Updated' }),
        enrolment_year: 2023,
        version: 1,
      });
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ id: s.id, name: 'Json Updated', enrolment_year: 2023, version: 2 });
      expect(await row(s.id)).toMatchObject({ name: 'Json Updated', enrolment_year: 2023, version: 2 });
      await expectOneAudit(s.id, 'update', res, staffUser);
    });
  });

  describe('archiving and restoring', () => {
    it('archives: deleted_at set, gone from the list, shown among the archived, audited once', async () => {
      const s = await createStudent(t.db);
      const res = await postForm(staff, `/students/${s.id}/delete`, {});
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/students');

      const archived = await row(s.id);
      expect(archived.deleted_at).not.toBeNull();
      expect(archived.version).toBe(2);

      const list = await listed(staff, s.student_no);
      expect(list).toContain(`${s.name} was archived.`);
      expect(list).not.toContain(`/students/${s.id}"`);
      expect(list).toContain('0 students');
      expect(await listed(staff, s.student_no, true)).toContain(`<a href="/students/${s.id}">${s.student_no}</a>`);

      const json = await staff.get('/students').query({ q: s.student_no }).set('Accept', 'application/json');
      expect(json.body.data).toEqual([]);

      const { before, after } = await expectOneAudit(s.id, 'archive', res, staffUser);
      expect(before).toMatchObject({ id: s.id, deleted_at: null, version: 1 });
      expect(after).toMatchObject({ id: s.id, deleted_at: archived.deleted_at, version: 2 });
    });

    it('refuses to edit an archived record with 409 and changes nothing', async () => {
      const s = await createStudent(t.db, { name: 'Archived Person' });
      expect((await postForm(staff, `/students/${s.id}/delete`, {})).status).toBe(302);
      const archived = await row(s.id);

      const form = studentForm({ student_no: s.student_no, name: 'Edited Anyway', version: String(archived.version) });
      const html = await postForm(staff, `/students/${s.id}`, form);
      expect(html.status).toBe(409);
      expect(html.text).toContain('This record is archived. Restore it before editing.');

      const json = await postJson(staff, `/students/${s.id}`, { ...form });
      expect(json.status).toBe(409);
      expect(json.body.error.code).toBe('archived');

      expect(await row(s.id)).toEqual(archived);
      expect(await auditFor(s.id, 'update')).toHaveLength(0);
    });

    it('archiving twice is a harmless no-op: no second audit row, nothing changed', async () => {
      const s = await createStudent(t.db);
      expect((await postForm(staff, `/students/${s.id}/delete`, {})).status).toBe(302);
      const first = await row(s.id);

      const html = await postForm(staff, `/students/${s.id}/delete`, {});
      expect(html.status).toBe(302);
      expect(html.headers.location).toBe('/students');
      expect(await listed(staff, s.student_no, true)).toContain(`${s.name} was already archived.`);

      const json = await postJson(staff, `/students/${s.id}/delete`, {});
      expect(json.status).toBe(200);
      expect(json.body.data).toMatchObject({ id: s.id, archived: true, version: first.version });

      expect(await row(s.id)).toEqual(first);
      expect(await auditFor(s.id, 'archive')).toHaveLength(1);
      expect(await auditFor(s.id)).toHaveLength(1);
    });

    it('restores (admin): back in the list, editable again, audited once', async () => {
      const s = await createStudent(t.db);
      expect((await postForm(staff, `/students/${s.id}/delete`, {})).status).toBe(302);

      const res = await postForm(admin, `/students/${s.id}/restore`, {});
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(`/students/${s.id}`);
      const page = await admin.get(res.headers.location!).set('Accept', 'text/html');
      expect(page.text).toContain(`${s.name} was restored.`);

      const restored = await row(s.id);
      expect(restored).toMatchObject({ deleted_at: null, version: 3, updated_by: adminUser.id });
      expect(await listed(staff, s.student_no)).toContain(`<a href="/students/${s.id}">${s.student_no}</a>`);
      expect(await listed(staff, s.student_no, true)).not.toContain(`/students/${s.id}"`);

      const { before, after } = await expectOneAudit(s.id, 'restore', res, adminUser);
      expect(before).toMatchObject({ id: s.id, version: 2 });
      expect(before!.deleted_at).not.toBeNull();
      expect(after).toMatchObject({ id: s.id, deleted_at: null, version: 3 });

      const edit = await postJson(staff, `/students/${s.id}`, {
        ...studentForm({ student_no: s.student_no, name: 'Edited After Restore' }),
        version: 3,
      });
      expect(edit.status).toBe(200);
      expect(edit.body.data).toMatchObject({ name: 'Edited After Restore', version: 4 });
    });

    it('restoring a record that is not archived changes nothing and writes no audit row', async () => {
      const s = await createStudent(t.db);
      const res = await postJson(admin, `/students/${s.id}/restore`, {});
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ id: s.id, archived: false, version: 1 });
      expect(await row(s.id)).toEqual(s);
      expect(await auditFor(s.id)).toHaveLength(0);
    });

    it('answers JSON archive with the archived record', async () => {
      const s = await createStudent(t.db);
      const res = await postJson(staff, `/students/${s.id}/delete`, {});
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ id: s.id, archived: true, version: 2 });
      await expectOneAudit(s.id, 'archive', res, staffUser);
    });
  });

  it('leaves exactly one audit row per change over a whole life cycle, in order', async () => {
    const created = await postJson(staff, '/students', studentForm({ name: 'Life Cycle' }));
    const id = created.body.data.id as number;
    const s: StudentRow = await row(id);
    const updated = await postJson(staff, `/students/${id}`, {
      ...studentForm({ student_no: s.student_no, name: 'Life Cycle 2' }),
      version: 1,
    });
    const archived = await postJson(staff, `/students/${id}/delete`, {});
    await postJson(staff, `/students/${id}/delete`, {});
    const restored = await postJson(admin, `/students/${id}/restore`, {});
    await postJson(admin, `/students/${id}/restore`, {});

    const rows = await auditFor(id);
    expect(rows.map((r) => r.action)).toEqual(['create', 'update', 'archive', 'restore']);
    expect(rows.map((r) => r.request_id)).toEqual(
      [created, updated, archived, restored].map((r) => r.headers['x-request-id']),
    );
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(4);
    expect(rows.map((r) => JSON.parse(r.after_json!).version)).toEqual([1, 2, 3, 4]);
  });
});
