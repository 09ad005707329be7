// The sections page as a student sees it: select, the waiting-list position, and drop, in one place.
import {
  createClass,
  createSection,
  createStudent,
  createTerm,
  createUser,
  insertEnrolment,
} from '../helpers/factories';
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

  describe('says when course selection is open, in the university\u2019s time zone', () => {
    const window = async (opens: string | null, closes: string | null, lang = 'en') => {
      const term = await createTerm(t.db, { selection_opens_at: opens, selection_closes_at: closes });
      const agent = await signIn(
        t.app,
        await createUser(t.db, 'student', { studentId: (await createStudent(t.db)).id }),
      );
      const page = await agent.get(`/sections?term=${term.code}&lang=${lang}`);
      expect(page.status).toBe(200);
      const match = /<p class="selection-window selection-([a-z]+)" data-selection="[a-z]+">([\s\S]*?)<\/p>/.exec(
        page.text,
      );
      return { state: match?.[1], text: match?.[2]?.replace(/\s+/g, ' ').trim() };
    };
    // Stored UTC; the test app shows Asia/Shanghai (UTC+8).
    it('open: until when', async () => {
      expect(await window('2000-01-01 00:00:00', '2099-12-01 10:00:00')).toEqual({
        state: 'open',
        text: 'Course selection is open until 1 Dec 2099, 18:00 (Beijing time).',
      });
      expect(await window('2000-01-01 00:00:00', '2099-12-01 10:00:00', 'zh-CN')).toEqual({
        state: 'open',
        text: '选课进行中，截止时间为 2099年12月1日 18:00（北京时间）。',
      });
    });
    it('upcoming: when it opens and closes', async () => {
      expect(await window('2099-11-30 16:00:00', '2099-12-01 10:00:00')).toEqual({
        state: 'upcoming',
        text: 'Course selection opens on 1 Dec 2099, 00:00 and closes on 1 Dec 2099, 18:00 (Beijing time).',
      });
    });
    it('closed: when it closed', async () => {
      expect((await window('2000-01-01 00:00:00', '2000-02-01 00:00:00')).state).toBe('closed');
    });
    it('no window set', async () => {
      expect(await window(null, null)).toEqual({
        state: 'none',
        text: 'No course-selection window is set for this term.',
      });
    });
  });
});
