// The sections page as a student sees it: select, the waiting-list position, and drop, in one place.
import { createClass, createStudent, createUser } from '../helpers/factories';
import { createSection, createTerm, insertEnrolment } from '../helpers/catalogue-factories';
import { csrfFromHtml, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

describe('choosing courses on the sections page', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('offers select on an open section, shows the waiting position and a drop button on the student\u2019s own places', async () => {
    const term = await createTerm(t.db, { current: true });
    const free = await createSection(t.db, { termId: term.id, capacity: 5 });
    const full = await createSection(t.db, { termId: term.id, capacity: 1 });
    const mine = await createSection(t.db, { termId: term.id, capacity: 5 });
    const student = await createStudent(t.db);
    const other = await createStudent(t.db);
    await insertEnrolment(t.db, full.id, other.id, 'enrolled');
    await insertEnrolment(t.db, full.id, student.id, 'waitlisted');
    await insertEnrolment(t.db, mine.id, student.id, 'enrolled');
    const agent = await signIn(t.app, await createUser(t.db, 'student', { studentId: student.id }));

    const page = await agent.get(`/sections?term=${term.code}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`action="/sections/${free.id}/enrolments"`);
    expect(page.text).toContain('Waiting list: #1');
    expect(page.text).toContain(`action="/sections/${mine.id}/enrolments/${student.id}/delete"`);
    expect(page.text).toContain(`action="/sections/${full.id}/enrolments/${student.id}/delete"`);
    expect(page.text).toContain('href="/sections"'); // the student's navigation link
  });

  it('shows staff no select buttons', async () => {
    const term = await createTerm(t.db, { current: true });
    const section = await createSection(t.db, { termId: term.id });
    const staff = await signIn(t.app, await createUser(t.db, 'staff'));
    const page = await staff.get(`/sections?term=${term.code}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(`action="/sections/${section.id}/enrolments"`);
  });

  it('lets staff enrol a whole class from the section page, then open the grade grid', async () => {
    const term = await createTerm(t.db, { current: true });
    const section = await createSection(t.db, { termId: term.id, capacity: 2 });
    const klass = await createClass(t.db);
    const members = await Promise.all([1, 2, 3].map(() => createStudent(t.db, { class_id: klass.id })));
    const staff = await signIn(t.app, await createUser(t.db, 'staff'));

    const page = await staff.get(`/sections/${section.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`href="/sections/${section.id}/grades"`);
    expect(page.text).toContain(`<option value="${klass.id}">`);

    const form = {
      class_id: String(klass.id),
      _csrf: csrfFromHtml(page.text),
      _idem: /name="_idem" value="([^"]+)"/.exec(page.text)![1]!,
    };
    const res = await staff.post(`/sections/${section.id}/enrolments`).type('form').send(form);
    expect(res.status).toBe(302);
    const rows = await t.db('enrolments').where({ section_id: section.id }).orderBy('id');
    expect(rows.map((r) => r.status)).toEqual(['enrolled', 'enrolled', 'waitlisted']);
    expect(rows.map((r) => r.student_id).sort()).toEqual(members.map((m) => m.id).sort());

    const grid = await staff.get(`/sections/${section.id}/grades`);
    expect(grid.status).toBe(200);
    for (const m of members.slice(0, 2)) expect(grid.text).toContain(m.student_no);
  });
});
