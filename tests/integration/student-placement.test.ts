// A student belongs to an administrative class: staff choose it from a list (not by typing an id), and the
// record pages say which class, major and school the student is in.
import { createClass, createStudent, createUser } from '../helpers/factories';
import { type Agent, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

describe("a student's class", () => {
  let t: TestApp;
  let staff: Agent;

  beforeAll(async () => {
    t = await buildTestApp();
    staff = await signIn(t.app, await createUser(t.db, 'staff'));
  });
  afterAll(() => t.close());

  const classRow = (id: number) => t.db('classes').where({ id }).first('code', 'name');

  it('is chosen from a list of the active classes on the student form', async () => {
    const klass = await createClass(t.db);
    const archived = await createClass(t.db);
    await t.db('classes').where({ id: archived.id }).update({ deleted_at: '2026-01-01 00:00:00' });
    const { code, name } = await classRow(klass.id);

    const res = await staff.get('/students/new').set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<select id="f-class_id" name="class_id"/);
    expect(res.text).toContain(`<option value="${klass.id}" >${code} ${name}</option>`);
    expect(res.text).not.toContain(`<option value="${archived.id}"`);
  });

  it('keeps an archived class choosable on the edit form of a student still in it, so saving keeps it', async () => {
    const klass = await createClass(t.db);
    const student = await createStudent(t.db, { class_id: klass.id });
    await t.db('classes').where({ id: klass.id }).update({ deleted_at: '2026-01-01 00:00:00' });

    const res = await staff.get(`/students/${student.id}/edit`).set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(new RegExp(`<option value="${klass.id}" selected>`));
  });

  it('shows the class, major and school on the staff record page and on the student’s own page', async () => {
    const klass = await createClass(t.db);
    const student = await createStudent(t.db, { class_id: klass.id });
    const { code } = await classRow(klass.id);
    const major = await t.db('majors').where({ id: klass.majorId }).first('name');
    const school = await t.db('departments').where({ id: klass.departmentId }).first('name');

    const page = await staff.get(`/students/${student.id}`).set('Accept', 'text/html');
    const placement = /<dd data-placement>([\s\S]*?)<\/dd>/.exec(page.text)?.[1] ?? '';
    expect(placement).toContain(`<a href="/classes/${klass.id}">${code}</a>`);
    expect(placement).toContain(major.name);
    expect(placement).toContain(school.name);

    const own = await signIn(t.app, await createUser(t.db, 'student', { studentId: student.id }));
    const me = await own.get('/me').set('Accept', 'application/json');
    expect(me.body.data.placement).toEqual({
      class_id: klass.id,
      class_code: code,
      class_name: expect.any(String),
      major: major.name,
      department: school.name,
      major_en: null,
      department_en: null,
    });
    const html = await own.get('/me').set('Accept', 'text/html');
    // A student sees their class without a link to the staff-only class page.
    expect(/<dd data-placement>([\s\S]*?)<\/dd>/.exec(html.text)?.[1]).not.toContain('href=');
  });

  it('shows a dash for a student not yet placed in a class', async () => {
    const student = await createStudent(t.db);
    const page = await staff.get(`/students/${student.id}`).set('Accept', 'text/html');
    expect(/<dd data-placement>([\s\S]*?)<\/dd>/.exec(page.text)?.[1]?.trim()).toBe('—');
  });
});
