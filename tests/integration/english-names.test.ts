// Catalogue names in the page language: courses, schools and majors keep an official English name
// (name_en) shown on English pages and printed on the English transcript; terms are named in English by
// their academic year and semester; Chinese pages, and records without an English name, show `name`.
import type { Knex } from 'knex';
import {
  createClass,
  createCourse,
  createSection,
  createStudent,
  createTerm,
  createUser,
  insertEnrolment,
  insertGrade,
  lockGrades,
} from '../helpers/factories';
import { type Agent, csrfToken, postForm, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';
import { createTestDb } from '../helpers/test-db';

const CJK = /[\u3400-\u9fff]/;

/** The text of the page's <main>, tags and the hidden parts of the layout left out. */
function mainText(html: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? html;
  return main
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('catalogue names in the page language', () => {
  let t: TestApp;
  let staff: Agent;
  let student: Agent;
  let n = 0;
  const unique = (prefix: string) => `${prefix}${process.pid % 1000}${++n}`;

  // The student: in a class of a major and school that keep English names; last year two terms of
  // graded courses, one course (体育) without an English name.
  beforeAll(async () => {
    t = await buildTestApp();
    staff = await signIn(t.app, await createUser(t.db, 'staff'));
    const klass = await createClass(t.db);
    await t.db('majors').where({ id: klass.majorId }).update({ name: '软件工程', name_en: 'Software Engineering' });
    await t
      .db('departments')
      .where({ id: klass.departmentId })
      .update({ name: '计算机科学与技术学院', name_en: 'School of Computer Science and Technology' });
    const me = await createStudent(t.db, { name: 'Alice Li', class_id: klass.id });
    student = await signIn(t.app, await createUser(t.db, 'student', { studentId: me.id }));

    const autumn = await createTerm(t.db, {
      name: '2025-2026 学年第一学期',
      academic_year: '2025-2026',
      semester: 1,
      starts_on: '2025-09-01',
      ends_on: '2026-01-20',
    });
    const spring = await createTerm(t.db, {
      name: '2025-2026 学年第二学期',
      academic_year: '2025-2026',
      semester: 2,
      starts_on: '2026-02-20',
      ends_on: '2026-07-10',
    });
    const graded = async (termId: number, name: string, nameEn: string | null, score: number) => {
      const course = await createCourse(t.db, { code: unique('EN'), name });
      await t.db('courses').where({ id: course.id }).update({ name_en: nameEn });
      const section = await createSection(t.db, { courseId: course.id, termId });
      const enrolment = await insertEnrolment(t.db, section.id, me.id);
      await insertGrade(t.db, enrolment.id, { score });
      await lockGrades(t.db, section.id);
    };
    await graded(autumn.id, '程序设计基础', 'Fundamentals of Programming', 91);
    await graded(autumn.id, '线性代数', 'Linear Algebra', 84);
    await graded(spring.id, '数据结构', 'Data Structures', 88);
    await graded(spring.id, '体育（二）', null, 80);
  });
  afterAll(() => t.close());

  describe('the transcript', () => {
    it('in English: English course, term, major and school names; a course without one keeps its own', async () => {
      const res = await student.get('/me/transcript?lang=en').set('Accept', 'text/html');
      expect(res.status).toBe(200);
      const text = mainText(res.text);
      for (const english of [
        'Fundamentals of Programming',
        'Linear Algebra',
        'Data Structures',
        '2025-2026 Semester 1',
        '2025-2026 Semester 2',
        'Software Engineering',
        'School of Computer Science and Technology',
      ])
        expect(text).toContain(english);
      for (const chinese of [
        '程序设计基础',
        '线性代数',
        '数据结构',
        '学年第一学期',
        '学年第二学期',
        '软件工程',
        '计算机科学与技术学院',
      ])
        expect(text).not.toContain(chinese);
      // The one course without an English name is the only Chinese left on the page.
      expect(text).toContain('体育（二）');
      expect(CJK.test(text.replace('体育（二）', ''))).toBe(false);
    });

    it('in Chinese: the names of record', async () => {
      const res = await student.get('/me/transcript?lang=zh-CN').set('Accept', 'text/html');
      const text = mainText(res.text);
      for (const chinese of [
        '程序设计基础',
        '数据结构',
        '2025-2026 学年第一学期',
        '2025-2026 学年第二学期',
        '软件工程',
      ])
        expect(text).toContain(chinese);
      for (const english of ['Fundamentals of Programming', 'Semester 1', 'Software Engineering'])
        expect(text).not.toContain(english);
      await student.get('/me?lang=en');
    });

    it('as JSON carries both names, whatever the page language', async () => {
      const res = await student.get('/me/transcript').set('Accept', 'application/json');
      const [autumn] = res.body.data.terms;
      expect(autumn).toMatchObject({ term_name: '2025-2026 学年第一学期', term_name_en: '2025-2026 Semester 1' });
      expect(autumn.courses.map((c: { course_name_en: string | null }) => c.course_name_en)).toEqual(
        expect.arrayContaining(['Fundamentals of Programming', 'Linear Algebra']),
      );
      expect(res.body.data.placement).toMatchObject({
        major: '软件工程',
        major_en: 'Software Engineering',
        department_en: 'School of Computer Science and Technology',
      });
    });

    it('on /me in English: the grade history per term in English too', async () => {
      const text = mainText((await student.get('/me?lang=en').set('Accept', 'text/html')).text);
      expect(text).toContain('2025-2026 Semester 2');
      expect(text).toContain('Data Structures');
      expect(text).toContain('School of Computer Science and Technology');
      expect(text).not.toContain('数据结构');
    });
  });

  describe('writing English names', () => {
    async function postJson(agent: Agent, path: string, body: Record<string, unknown>) {
      const token = await csrfToken(agent, '/account/password');
      return agent.post(path).set('Accept', 'application/json').set('X-CSRF-Token', token).send(body);
    }

    it('a course keeps its English name, trimmed; blank means none; list and detail JSON carry it', async () => {
      const code = unique('NM');
      const res = await postJson(staff, '/courses', {
        code,
        name: '操作系统',
        name_en: '  Operating Systems  ',
        credits: '3',
      });
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({ code, name: '操作系统', name_en: 'Operating Systems' });
      const id = res.body.data.id as number;
      expect((await staff.get(`/courses/${id}`).set('Accept', 'application/json')).body.data.name_en).toBe(
        'Operating Systems',
      );
      const list = await staff.get(`/courses?q=${code}`).set('Accept', 'application/json');
      expect(list.body.data[0]).toMatchObject({ code, name_en: 'Operating Systems' });

      const cleared = await postJson(staff, `/courses/${id}`, {
        code,
        name: '操作系统',
        name_en: '   ',
        credits: '3',
        version: 1,
      });
      expect(cleared.status).toBe(200);
      expect(cleared.body.data.name_en).toBeNull();
    });

    it('refuses an English name over 200 characters with a field error, and writes nothing', async () => {
      const code = unique('NL');
      const res = await postJson(staff, '/courses', { code, name: '编译原理', name_en: 'x'.repeat(201), credits: '3' });
      expect(res.status).toBe(422);
      expect(res.body.error.fields).toHaveProperty('name_en');
      expect(await t.db('courses').where({ code }).first()).toBeUndefined();

      const form = await postForm(staff, '/departments', {
        code: unique('DL'),
        name: '法学院',
        name_en: 'y'.repeat(201),
      });
      expect(form.status).toBe(422);
      expect(form.text).toMatch(/id="f-name_en-error"/);
      expect(form.text).toContain('y'.repeat(201)); // the entered value is kept
      expect(await t.db('departments').where({ name: '法学院' }).first()).toBeUndefined();
    });

    it('schools and majors take an English name from the form and show it on English pages', async () => {
      const deptCode = unique('DS');
      const dept = await postJson(staff, '/departments', {
        code: deptCode,
        name: '数学与统计学院',
        name_en: 'School of Mathematics and Statistics',
      });
      expect(dept.status).toBe(201);
      expect(dept.body.data.name_en).toBe('School of Mathematics and Statistics');
      const major = await postJson(staff, '/majors', {
        code: unique('MJ'),
        name: '统计学',
        name_en: 'Statistics',
        department_id: dept.body.data.id,
      });
      expect(major.status).toBe(201);
      expect(major.body.data).toMatchObject({ name: '统计学', name_en: 'Statistics' });

      const form = await staff.get('/majors/new?lang=zh-CN').set('Accept', 'text/html');
      expect(form.text).toContain('<label for="f-name_en">英文名称');
      const en = await staff.get(`/majors/${major.body.data.id}?lang=en`).set('Accept', 'text/html');
      expect(en.text).toContain('<h1>Statistics</h1>');
      expect(en.text).toContain(`${deptCode} School of Mathematics and Statistics`);
      const list = await staff.get(`/departments?q=${deptCode}&lang=en`).set('Accept', 'text/html');
      expect(mainText(list.text)).toContain('School of Mathematics and Statistics');
      const zh = await staff.get(`/departments?q=${deptCode}&lang=zh-CN`).set('Accept', 'text/html');
      expect(mainText(zh.text)).toContain('数学与统计学院');
      expect(mainText(zh.text)).not.toContain('School of Mathematics');
      await staff.get('/?lang=en');
    });

    it('name a saved record by its English name in English and its Chinese name in Chinese', async () => {
      const flashAfterSaving = async (lang: string, code: string) => {
        await staff.get(`/?lang=${lang}`);
        const saved = await postForm(staff, '/departments', {
          code,
          name: '外国语学院',
          name_en: 'School of Foreign Languages',
        });
        expect(saved.status).toBe(302);
        const page = await staff.get(saved.headers.location!).set('Accept', 'text/html');
        return /<div class="flash flash-success"[^>]*>([^<]*)<\/div>/.exec(page.text)?.[1];
      };
      expect(await flashAfterSaving('en', unique('FL'))).toContain('School of Foreign Languages');
      const zh = await flashAfterSaving('zh-CN', unique('FL'));
      expect(zh).toContain('外国语学院');
      expect(zh).not.toContain('School of Foreign Languages');
      await staff.get('/?lang=en');
    });
  });

  describe('sections', () => {
    it('list the English course name on English pages, and both names in JSON', async () => {
      const term = await createTerm(t.db, { code: '2031-2032-2', academic_year: '2031-2032', semester: 2 });
      const course = await createCourse(t.db, { code: unique('SC'), name: '计算机网络' });
      await t.db('courses').where({ id: course.id }).update({ name_en: 'Computer Networks' });
      await createSection(t.db, { courseId: course.id, termId: term.id });

      const json = await staff.get(`/sections?term=${term.code}`).set('Accept', 'application/json');
      expect(json.body.data[0]).toMatchObject({ course_name: '计算机网络', course_name_en: 'Computer Networks' });
      const en = mainText((await staff.get(`/sections?term=${term.code}&lang=en`).set('Accept', 'text/html')).text);
      expect(en).toContain('Computer Networks');
      expect(en).toContain('2031-2032 Semester 2');
      expect(en).not.toContain('计算机网络');
      const zh = mainText((await staff.get(`/sections?term=${term.code}&lang=zh-CN`).set('Accept', 'text/html')).text);
      expect(zh).toContain('计算机网络');
      await staff.get('/?lang=en');
    });
  });
});

describe('the English names migration', () => {
  let db: Knex;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ db, drop } = await createTestDb());
  });
  afterAll(() => drop());

  const columns = () =>
    Promise.all(['courses', 'departments', 'majors'].map((table) => db.schema.hasColumn(table, 'name_en')));

  it('adds name_en to courses, departments and majors, and its down takes it away again', async () => {
    expect(await columns()).toEqual([true, true, true]);
    const row = await db('knex_migrations').where('name', 'like', '%add_english_names%').first('name');
    await db('departments').insert({ code: 'MIG', name: '学院', name_en: 'School' });
    await db.migrate.down({ name: row.name });
    expect(await columns()).toEqual([false, false, false]);
    expect(await db('departments').where({ code: 'MIG' }).first('name')).toEqual({ name: '学院' });
    await db.migrate.latest();
    expect(await columns()).toEqual([true, true, true]);
  });
});
