// Input no column can hold is a field error before any SQL runs, the same on MySQL and SQLite: ids past
// the unsigned INT range, and control characters (NUL, C1, lone surrogates) in text fields.
import type { Response } from 'supertest';
import en from '../../src/i18n/locales/en.json';
import zhCN from '../../src/i18n/locales/zh-CN.json';
import {
  createCourse,
  createDepartment,
  createStudent,
  createTerm,
  createUser,
  studentForm,
  uniqueCode,
} from '../helpers/factories';
import { type Agent, csrfToken, postForm, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

const PAST_UINT = '4294967296';

describe('input no column can hold', () => {
  let t: TestApp;
  let staff: Agent;
  let admin: Agent;

  beforeAll(async () => {
    t = await buildTestApp();
    staff = await signIn(t.app, await createUser(t.db, 'staff'));
    admin = await signIn(t.app, await createUser(t.db, 'admin'));
  }, 30_000);
  afterAll(() => t.close());

  async function postJson(agent: Agent, path: string, body: Record<string, unknown>, lang?: string): Promise<Response> {
    const token = await csrfToken(agent, '/account/password');
    const req = agent.post(path).set('Accept', 'application/json').set('X-CSRF-Token', token);
    if (lang) req.set('Accept-Language', lang);
    return req.send(body);
  }
  const count = async (table: string) => Number((await t.db(table).count({ n: '*' }).first())!.n);
  const audits = () => count('audit_log');

  describe('ids past the unsigned INT range', () => {
    const cases: [string, string, () => Promise<Record<string, unknown>>, string, string][] = [
      ['a student', '/students', async () => ({ ...studentForm() }), 'class_id', 'students'],
      [
        'a course',
        '/courses',
        async () => ({ code: uniqueCode('C'), name: '数据结构', credits: '3', grading: 'score' }),
        'department_id',
        'courses',
      ],
      ['a major', '/majors', async () => ({ code: uniqueCode('M'), name: '软件工程' }), 'department_id', 'majors'],
      ['a staff profile', '/staff', async () => ({ staff_no: uniqueCode('S'), name: '王老师' }), 'user_id', 'staff'],
      [
        'a section',
        '/sections',
        async () => ({
          course_id: (await createCourse(t.db)).id,
          term_id: (await createTerm(t.db)).id,
          section_no: '01',
          capacity: 30,
          meetings: [{ day_of_week: 1, start_period: 1, end_period: 2 }],
        }),
        'teacher_staff_id',
        'sections',
      ],
    ];

    it.each(cases)(
      '%s (POST %s): an id past the range is a 422 naming the field, nothing written',
      async (_what, path, base, field, table) => {
        const body = await base();
        for (const value of [PAST_UINT, Number(PAST_UINT), '99999999999999999999']) {
          const [rows, logged] = [await count(table), await audits()];
          const res = await postJson(staff, path, { ...body, [field]: value });
          expect(res.status).toBe(422);
          expect(res.body.error.fields).toEqual({ [field]: en.validation.id });
          expect([await count(table), await audits()]).toEqual([rows, logged]);
        }
      },
    );

    it('the message is in Chinese too, and a form post says it on the page', async () => {
      const json = await postJson(staff, '/students', { ...studentForm(), class_id: PAST_UINT }, 'zh-CN');
      expect(json.body.error.fields).toEqual({ class_id: zhCN.validation.id });
      const before = await count('students');
      const html = await postForm(staff, '/students', { ...studentForm(), class_id: PAST_UINT }, '/students/new');
      expect(html.status).toBe(422);
      expect(html.text).toContain(en.validation.id);
      expect(await count('students')).toBe(before);
    });

    it('an edit with an id past the range (and a version past it) is refused the same way', async () => {
      const student = await createStudent(t.db);
      const res = await postJson(staff, `/students/${student.id}`, {
        ...studentForm({ student_no: student.student_no }),
        class_id: PAST_UINT,
        version: 1,
      });
      expect(res.status).toBe(422);
      expect(res.body.error.fields).toEqual({ class_id: en.validation.id });
      const department = await createDepartment(t.db);
      const edit = await postJson(staff, `/departments/${department}`, {
        code: uniqueCode('D'),
        name: 'x',
        version: PAST_UINT,
      });
      expect(edit.status).toBe(422);
      expect(Object.keys(edit.body.error.fields)).toEqual(['version']);
      expect((await t.db('students').where({ id: student.id }).first()).version).toBe(1);
    });

    it('an admin linking an account to a staff profile or student past the range gets a field error', async () => {
      const before = await count('users');
      const res = await postJson(admin, '/admin/users', {
        username: `u${Date.now()}`,
        role: 'staff',
        staff_id: PAST_UINT,
      });
      expect(res.status).toBe(422);
      expect(res.body.error.fields).toEqual({ staff_id: en.validation.id });
      expect(await count('users')).toBe(before);
    });

    it.each(['/students', '/courses', '/departments', '/staff', '/sections', '/admin/users'])(
      '%s/4294967296 is a 404, reading and writing',
      async (base) => {
        const agent = base.startsWith('/admin') ? admin : staff;
        const read = await agent.get(`${base}/${PAST_UINT}`).set('Accept', 'application/json');
        expect(read.status).toBe(404);
        expect(read.body.error.code).toBe('not_found');
        const logged = await audits();
        const path = base === '/admin/users' ? `${base}/${PAST_UINT}/deactivate` : `${base}/${PAST_UINT}/delete`;
        const write = await postJson(agent, path, {});
        expect(write.status).toBe(404);
        expect(await audits()).toBe(logged);
      },
    );
  });

  describe('control characters in text', () => {
    it.each([
      ['NUL', 'Li\u0000Lei'],
      ['a bell', 'Li\u0007Lei'],
      ['a tab', 'Li\tLei'],
      ['DEL', 'Li\u007FLei'],
      ['a C1 control (NEL)', 'Li\u0085Lei'],
      ['a lone surrogate', 'Li\uD800Lei'],
    ])('a student name with %s is a 422 on that field, nothing written', async (_what, name) => {
      const [rows, logged] = [await count('students'), await audits()];
      const res = await postJson(staff, '/students', { ...studentForm(), name });
      expect(res.status).toBe(422);
      expect(res.body.error.fields).toEqual({ name: en.validation.control_chars });
      expect([await count('students'), await audits()]).toEqual([rows, logged]);
    });

    it('a multi-line field keeps its line breaks and tabs but not other controls', async () => {
      const course = { code: uniqueCode('C'), name: '编译原理', credits: '3', grading: 'score' };
      const ok = await postJson(staff, '/courses', { ...course, description: 'Week 1:\r\n\tlexing\nWeek 2: parsing' });
      expect(ok.status).toBe(201);
      expect(ok.body.data.description).toBe('Week 1:\r\n\tlexing\nWeek 2: parsing');
      const before = await count('courses');
      const bad = await postJson(staff, '/courses', { ...course, code: uniqueCode('C'), description: 'a\u0000b' });
      expect(bad.status).toBe(422);
      expect(bad.body.error.fields).toEqual({ description: en.validation.control_chars });
      const address = await postJson(staff, '/students', { ...studentForm(), address: '1 Road\n\u001bBeijing' });
      expect(address.body.error.fields).toEqual({ address: en.validation.control_chars });
      expect(await count('courses')).toBe(before);
    });

    it('a form post shows the message in the language of the page, and the other record kinds refuse too', async () => {
      const before = [await count('departments'), await count('staff'), await count('terms')];
      const html = await postForm(
        staff,
        '/departments',
        { code: uniqueCode('D'), name: '计算机\u0000学院' },
        '/departments/new',
      );
      expect(html.status).toBe(422);
      expect(html.text).toContain(en.validation.control_chars);
      const zh = await postJson(
        staff,
        '/staff',
        { staff_no: uniqueCode('S'), name: '赵老师', title: '讲\u0001师' },
        'zh-CN',
      );
      expect(zh.status).toBe(422);
      expect(zh.body.error.fields).toEqual({ title: zhCN.validation.control_chars });
      expect([await count('departments'), await count('staff'), await count('terms')]).toEqual(before);
    });

    it('a leading or trailing line break is trimmed like any other space, not refused', async () => {
      const res = await postJson(staff, '/students', { ...studentForm(), name: '\n李雷\r\n' });
      expect(res.status).toBe(201);
      expect(res.body.data.name).toBe('李雷');
    });
  });
});
