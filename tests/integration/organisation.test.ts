// Staff keep departments, majors, classes and staff profiles: list, search, create, edit with a
// version, archive and restore, each change audited, each bad entry a field error with nothing written.
import type { Response } from 'supertest';
import request from 'supertest';
import orgEn from '../../src/i18n/locales/organisation.en.json';
import {
  createDepartment,
  createMajor,
  createStaff,
  createStudent,
  createUser,
  type TestUser,
  uniqueCode,
} from '../helpers/factories';
import { type Agent, csrfToken, postForm, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

describe('organisation records', () => {
  let t: TestApp;
  let staffUser: TestUser;
  let staff: Agent;
  let admin: Agent;
  let student: Agent;

  beforeAll(async () => {
    t = await buildTestApp();
    staffUser = await createUser(t.db, 'staff');
    staff = await signIn(t.app, staffUser);
    admin = await signIn(t.app, await createUser(t.db, 'admin'));
    const own = await createStudent(t.db);
    student = await signIn(t.app, await createUser(t.db, 'student', { studentId: own.id }));
  });
  afterAll(() => t.close());

  async function postJson(agent: Agent, path: string, body: Record<string, unknown>): Promise<Response> {
    const token = await csrfToken(agent, '/account/password');
    return agent.post(path).set('Accept', 'application/json').set('X-CSRF-Token', token).send(body);
  }
  const count = async (table: string) => Number((await t.db(table).count({ n: '*' }).first())!.n);
  const row = (table: string, id: number) => t.db(table).where({ id }).first();
  const audits = (entity: string, id: number) =>
    t
      .db('audit_log')
      .where({ entity, entity_id: String(id) })
      .orderBy('id')
      .select('action', 'actor_id');

  describe('departments', () => {
    it('creates from the form, redirects to the record, and audits it once', async () => {
      const code = uniqueCode('cs');
      const res = await postForm(staff, '/departments', { code, name: '计算机学院' });
      expect(res.status).toBe(302);
      const id = Number(/^\/departments\/(\d+)$/.exec(res.headers.location!)?.[1]);
      expect(await row('departments', id)).toMatchObject({ code: code.toUpperCase(), name: '计算机学院', version: 1 });
      expect(await audits('department', id)).toEqual([{ action: 'create', actor_id: staffUser.id }]);
      const page = await staff.get(res.headers.location!).set('Accept', 'text/html');
      expect(page.status).toBe(200);
      expect(page.text).toContain('计算机学院 was added.');
      expect(page.text).toContain(code.toUpperCase());
    });

    it('answers JSON with 201, a Location and the record', async () => {
      const code = uniqueCode('MATH');
      const res = await postJson(staff, '/departments', { code, name: 'Mathematics' });
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`/departments/${res.body.data.id}`);
      expect(res.body.data).toMatchObject({ code, name: 'Mathematics', version: 1, archived: false });
      const detail = await staff.get(res.headers.location!).set('Accept', 'application/json');
      expect(detail.body.data).toMatchObject({ id: res.body.data.id, code });
    });

    it('lists with a search and pages of the asked size', async () => {
      const stem = uniqueCode('PG');
      for (const i of [1, 2, 3]) await createDepartment(t.db, { code: `${stem}-${i}`, name: `Paged ${i}` });
      const first = await staff.get('/departments').query({ q: stem, size: 2 }).set('Accept', 'application/json');
      expect(first.status).toBe(200);
      expect(first.body.meta).toEqual({ page: 1, size: 2, total: 3, pages: 2 });
      expect(first.body.data.map((d: { code: string }) => d.code)).toEqual([`${stem}-1`, `${stem}-2`]);
      const second = await staff
        .get('/departments')
        .query({ q: stem, size: 2, page: 2 })
        .set('Accept', 'application/json');
      expect(second.body.data.map((d: { code: string }) => d.code)).toEqual([`${stem}-3`]);
      const byName = await staff.get('/departments').query({ q: 'Paged 2' }).set('Accept', 'text/html');
      expect(byName.text).toContain(`${stem}-2`);
      expect(byName.text).not.toContain(`${stem}-1<`);
    });

    it('refuses a bad page number as a field error', async () => {
      const res = await staff.get('/departments').query({ page: 'x' }).set('Accept', 'application/json');
      expect(res.status).toBe(422);
      expect(res.body.error.fields.page).toBeDefined();
    });

    it.each([
      [{ code: '', name: 'X' }, 'code', 'This field is required.'],
      [{ code: 'a b', name: 'X' }, 'code', 'Use 2 or more letters, digits or dashes.'],
      [{ code: 'OK1', name: '' }, 'name', 'This field is required.'],
      [{ code: 'OK2', name: 'x'.repeat(101) }, 'name', 'This is too long.'],
    ])('refuses %j with a field error on %s and writes nothing', async (body, field, message) => {
      const before = await count('departments');
      const res = await postForm(staff, '/departments', body);
      expect(res.status).toBe(422);
      expect(res.text).toContain(message);
      expect(res.text).toContain(`id="f-${field}-error"`);
      const json = await postJson(staff, '/departments', body);
      expect(json.status).toBe(422);
      expect(json.body.error.fields[field]).toBe(message);
      expect(await count('departments')).toBe(before);
    });

    it('gives a duplicate code (in any case) as a field error, even against an archived record', async () => {
      const code = uniqueCode('DUP');
      await createDepartment(t.db, { code, deleted_at: '2026-01-01 00:00:00' });
      const before = await count('departments');
      const res = await postForm(staff, '/departments', { code: code.toLowerCase(), name: 'Again' });
      expect(res.status).toBe(422);
      expect(res.text).toContain('This code is already used by another record');
      const json = await postJson(staff, '/departments', { code, name: 'Again' });
      expect(json.body.error.fields).toEqual({
        code: 'This code is already used by another record (possibly an archived one).',
      });
      expect(await count('departments')).toBe(before);
    });

    it('saves an edit at the current version and bumps it', async () => {
      const id = await createDepartment(t.db);
      const edit = await staff.get(`/departments/${id}/edit`).set('Accept', 'text/html');
      expect(edit.status).toBe(200);
      expect(edit.text).toContain('name="version" value="1"');
      const res = await postForm(staff, `/departments/${id}`, {
        code: uniqueCode('ED'),
        name: 'Renamed',
        version: '1',
      });
      expect(res.status).toBe(302);
      expect(await row('departments', id)).toMatchObject({ name: 'Renamed', version: 2 });
      expect((await audits('department', id)).map((a) => a.action)).toEqual(['update']);
    });

    it('refuses a stale version with 409 and leaves the row untouched', async () => {
      const id = await createDepartment(t.db, { name: 'Original' });
      await t.db('departments').where({ id }).update({ name: 'Theirs', version: 2 });
      const saved = await row('departments', id);
      const html = await postForm(staff, `/departments/${id}`, { code: saved.code, name: 'Mine', version: '1' });
      expect(html.status).toBe(409);
      expect(html.text).toContain('Someone else changed this record');
      expect(html.text).toContain('Theirs');
      expect(html.text).toContain('name="version" value="2"');
      const json = await postJson(staff, `/departments/${id}`, { code: saved.code, name: 'Mine', version: 1 });
      expect(json.status).toBe(409);
      expect(json.body.error.code).toBe('stale_version');
      expect(json.body.error.current).toMatchObject({ name: 'Theirs', version: 2 });
      expect(await row('departments', id)).toEqual(saved);
      expect(await audits('department', id)).toEqual([]);
    });

    it('refuses an edit without a version as a field error', async () => {
      const id = await createDepartment(t.db);
      const res = await postJson(staff, `/departments/${id}`, { code: uniqueCode('NV'), name: 'No version' });
      expect(res.status).toBe(422);
      expect(res.body.error.fields.version).toBeDefined();
      expect(await row('departments', id)).toMatchObject({ version: 1 });
    });

    it('archives (staff), hides from the list, refuses edits, and an admin restores', async () => {
      const code = uniqueCode('AR');
      const id = await createDepartment(t.db, { code });
      const archived = await postForm(staff, `/departments/${id}/delete`, {});
      expect(archived.status).toBe(302);
      expect(archived.headers.location).toBe('/departments');
      expect((await row('departments', id)).deleted_at).not.toBeNull();
      const list = await staff.get('/departments').query({ q: code }).set('Accept', 'application/json');
      expect(list.body.data).toEqual([]);
      const inArchive = await staff
        .get('/departments')
        .query({ q: code, archived: '1' })
        .set('Accept', 'application/json');
      expect(inArchive.body.data.map((d: { id: number }) => d.id)).toEqual([id]);
      expect((await staff.get(`/departments/${id}/edit`).set('Accept', 'text/html')).status).toBe(409);

      expect((await postForm(staff, `/departments/${id}/restore`, {})).status).toBe(403);
      const restored = await postJson(admin, `/departments/${id}/restore`, {});
      expect(restored.status).toBe(200);
      expect(restored.body.data.archived).toBe(false);
      expect((await audits('department', id)).map((a) => a.action)).toEqual(['archive', 'restore']);
    });

    it('answers 404 for an unknown or malformed id', async () => {
      expect((await staff.get('/departments/999999').set('Accept', 'application/json')).status).toBe(404);
      expect((await staff.get('/departments/abc').set('Accept', 'application/json')).status).toBe(404);
    });
  });

  describe('majors', () => {
    it('creates a major in a department', async () => {
      const departmentId = await createDepartment(t.db);
      const code = uniqueCode('SE');
      const res = await postJson(staff, '/majors', { code, name: '软件工程', department_id: String(departmentId) });
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({ code, department_id: departmentId });
      const form = await staff.get('/majors/new').set('Accept', 'text/html');
      expect(form.text).toContain(`<option value="${departmentId}"`);
    });

    it.each([
      ['missing', '', 'This field is required.'],
      ['unknown', '999999', 'Choose one of the listed entries.'],
      ['archived', 'archived', 'Choose one of the listed entries.'],
    ])('refuses a %s department as a field error', async (_case, value, message) => {
      const departmentId =
        value === 'archived' ? String(await createDepartment(t.db, { deleted_at: '2026-01-01 00:00:00' })) : value;
      const before = await count('majors');
      const res = await postJson(staff, '/majors', { code: uniqueCode('BAD'), name: 'X', department_id: departmentId });
      expect(res.status).toBe(422);
      expect(res.body.error.fields).toEqual({ department_id: message });
      expect(await count('majors')).toBe(before);
    });
  });

  describe('classes', () => {
    it('creates a class with major, entry year and adviser; its page lists its students', async () => {
      const majorId = await createMajor(t.db);
      const { id: adviserId } = await createStaff(t.db, { name: '王老师' });
      const code = uniqueCode('CS2024-');
      const res = await postForm(staff, '/classes', {
        code,
        name: '计算机 2024 级 1 班',
        major_id: String(majorId),
        entry_year: '2024',
        adviser_staff_id: String(adviserId),
      });
      expect(res.status).toBe(302);
      const id = Number(/^\/classes\/(\d+)$/.exec(res.headers.location!)?.[1]);
      expect(await row('classes', id)).toMatchObject({
        major_id: majorId,
        entry_year: 2024,
        adviser_staff_id: adviserId,
      });
      const member = await createStudent(t.db, { class_id: id, name: '班级成员甲' });
      await createStudent(t.db, { name: '别班学生乙' });
      const page = await staff.get(`/classes/${id}`).set('Accept', 'text/html');
      expect(page.status).toBe(200);
      expect(page.text).toContain('1 student in this class');
      expect(page.text).toContain('班级成员甲');
      expect(page.text).toContain(`/students/${member.id}`);
      expect(page.text).not.toContain('别班学生乙');
      expect(page.text).toContain('王老师');
    });

    it('gives every bad field its own error at once, writing nothing', async () => {
      const before = await count('classes');
      const res = await postJson(staff, '/classes', {
        code: '',
        name: 'X',
        major_id: '',
        entry_year: '1800',
        adviser_staff_id: 'abc',
      });
      expect(res.status).toBe(422);
      expect(res.body.error.fields).toEqual({
        code: 'This field is required.',
        major_id: 'This field is required.',
        entry_year: 'The entry year must be between 1950 and next year.',
        adviser_staff_id: 'Enter a whole number.',
      });
      expect(await count('classes')).toBe(before);
    });

    it('refuses an unknown adviser', async () => {
      const majorId = await createMajor(t.db);
      const res = await postJson(staff, '/classes', {
        code: uniqueCode('C'),
        name: 'X',
        major_id: majorId,
        entry_year: 2024,
        adviser_staff_id: 999999,
      });
      expect(res.status).toBe(422);
      expect(res.body.error.fields).toEqual({ adviser_staff_id: 'Choose one of the listed entries.' });
    });
  });

  describe('staff profiles', () => {
    it('creates a profile linked to a user account; the account cannot be linked twice', async () => {
      const account = await createUser(t.db, 'staff');
      const departmentId = await createDepartment(t.db);
      const body = {
        staff_no: uniqueCode('s'),
        name: '李老师',
        department_id: String(departmentId),
        title: '副教授',
        email: 'li@univ.example.edu',
        phone: '010-62751234',
        user_id: String(account.id),
      };
      const res = await postJson(staff, '/staff', body);
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({
        staff_no: body.staff_no.toUpperCase(),
        user_id: account.id,
        title: '副教授',
      });
      const before = await count('staff');
      const again = await postJson(staff, '/staff', { ...body, staff_no: uniqueCode('S') });
      expect(again.status).toBe(422);
      expect(again.body.error.fields).toEqual({ user_id: 'This account is already linked to another staff profile.' });
      const dupNo = await postForm(staff, '/staff', { ...body, user_id: '' });
      expect(dupNo.status).toBe(422);
      expect(dupNo.text).toContain('This staff number is already used');
      expect(await count('staff')).toBe(before);
    });

    it.each([
      ['an administrator', () => createUser(t.db, 'admin')],
      ['a student', async () => createUser(t.db, 'student', { studentId: (await createStudent(t.db)).id })],
      ['a deactivated staff member', () => createUser(t.db, 'staff', { active: false })],
    ])("refuses to link %s's account: a field error, nothing written", async (_who, make) => {
      const account = await make();
      const [profiles, logged] = [await count('staff'), await count('audit_log')];
      const body = { staff_no: uniqueCode('S'), name: '钱老师', user_id: String(account.id) };
      const res = await postJson(staff, '/staff', body);
      expect(res.status).toBe(422);
      expect(res.body.error.fields).toEqual({ user_id: orgEn.org.validation.user_id.not_staff });
      const html = await postForm(staff, '/staff', body, '/staff/new');
      expect(html.status).toBe(422);
      expect(html.text).toContain(orgEn.org.validation.user_id.not_staff);
      expect([await count('staff'), await count('audit_log')]).toEqual([profiles, logged]);
      expect(await t.db('staff').where({ user_id: account.id }).first()).toBeUndefined();
    });

    it('offers staff accounts to link, not the administrators', async () => {
      const free = await createUser(t.db, 'staff');
      const other = await createUser(t.db, 'admin');
      const page = await staff.get('/staff/new').set('Accept', 'text/html');
      expect(page.text).toContain(`>${free.username}<`);
      expect(page.text).not.toContain(`>${other.username}<`);
    });

    it("an edit may keep the account a profile has (an admin's, linked from the account page), not switch to one", async () => {
      const adminAccount = await createUser(t.db, 'admin');
      const { id } = await createStaff(t.db, { user_id: adminAccount.id });
      const profile = await row('staff', id);
      const kept = await postJson(staff, `/staff/${id}`, {
        staff_no: profile.staff_no,
        name: '新名字',
        user_id: adminAccount.id,
        version: profile.version,
      });
      expect(kept.status).toBe(200);
      expect(kept.body.data).toMatchObject({ name: '新名字', user_id: adminAccount.id });

      const { id: plain } = await createStaff(t.db);
      const before = await row('staff', plain);
      const logged = await count('audit_log');
      const switched = await postJson(staff, `/staff/${plain}`, {
        staff_no: before.staff_no,
        name: before.name,
        user_id: (await createUser(t.db, 'admin')).id,
        version: before.version,
      });
      expect(switched.status).toBe(422);
      expect(switched.body.error.fields).toEqual({ user_id: orgEn.org.validation.user_id.not_staff });
      expect(await row('staff', plain)).toEqual(before);
      expect(await count('audit_log')).toBe(logged);
    });

    it.each([
      ['staff_no', 'x', 'Use 4 to 32 letters, digits or dashes.'],
      ['email', 'not-an-email', 'Enter an email address such as name@example.edu.'],
      ['phone', 'call me', 'Enter a phone number of digits, spaces or dashes, optionally starting with +.'],
      ['user_id', '999999', 'Choose one of the listed entries.'],
      ['department_id', '999999', 'Choose one of the listed entries.'],
    ])('refuses a bad %s', async (field, value, message) => {
      const before = await count('staff');
      const res = await postJson(staff, '/staff', { staff_no: uniqueCode('S'), name: '赵老师', [field]: value });
      expect(res.status).toBe(422);
      expect(res.body.error.fields).toEqual({ [field]: message });
      expect(await count('staff')).toBe(before);
    });
  });

  describe('who may open what', () => {
    const BASES = ['/departments', '/majors', '/classes', '/staff', '/terms'];

    it.each(BASES)('%s: anonymous is sent to sign in (HTML) or gets 401 (JSON)', async (base) => {
      const html = await request(t.app).get(base).set('Accept', 'text/html');
      expect(html.status).toBe(302);
      expect(html.headers.location).toBe('/login');
      const json = await request(t.app).get(`${base}/new`).set('Accept', 'application/json');
      expect(json.status).toBe(401);
    });

    it.each(BASES)('%s: a student gets 403 on every page and write', async (base) => {
      for (const path of [base, `${base}/new`, `${base}/1`, `${base}/1/edit`]) {
        expect((await student.get(path).set('Accept', 'application/json')).status).toBe(403);
      }
      for (const path of [base, `${base}/1`]) {
        const res = await postJson(student, path, { name: 'x' });
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
      }
    });

    it.each(BASES)('%s: staff and admin can list and open the new form', async (base) => {
      for (const agent of [staff, admin]) {
        expect((await agent.get(base).set('Accept', 'text/html')).status).toBe(200);
        expect((await agent.get(`${base}/new`).set('Accept', 'text/html')).status).toBe(200);
      }
    });

    it.each(['/departments', '/majors', '/classes', '/staff'])(
      '%s: archive is staff and admin, restore is admin only',
      async (base) => {
        const departmentId = await createDepartment(t.db);
        const id =
          base === '/departments'
            ? departmentId
            : base === '/majors'
              ? await createMajor(t.db, { department_id: departmentId })
              : base === '/staff'
                ? (await createStaff(t.db)).id
                : await postJson(staff, '/classes', {
                    code: uniqueCode('RM'),
                    name: 'RM',
                    major_id: await createMajor(t.db),
                    entry_year: 2024,
                  }).then((r) => r.body.data.id as number);
        expect((await postJson(student, `${base}/${id}/delete`, {})).status).toBe(403);
        expect((await postJson(staff, `${base}/${id}/delete`, {})).body.data.archived).toBe(true);
        expect((await postJson(staff, `${base}/${id}/restore`, {})).status).toBe(403);
        expect((await postJson(student, `${base}/${id}/restore`, {})).status).toBe(403);
        expect((await postJson(admin, `${base}/${id}/restore`, {})).body.data.archived).toBe(false);
      },
    );
  });
});
