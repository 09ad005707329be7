// A student's self-service: their own contact details, timetable, grades, GPA and transcript, and
// nothing of anyone else's whatever they put in the URL or the body.
import request from 'supertest';
import core from '../../src/i18n/locales/en.json';
import en from '../../src/i18n/locales/grades.en.json';
import type { StudentRow } from '../../src/students/students.repository';
import {
  createCourse,
  createSection,
  createStaff,
  createStudent,
  createTerm,
  createUser,
  insertEnrolment,
  insertGrade,
  lockGrades,
} from '../helpers/factories';
import { type Agent, csrfFromHtml, csrfToken, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

const me = en.me;

describe('a student’s own record at /me', () => {
  let t: TestApp;
  let alice: StudentRow;
  let bob: StudentRow;
  let aliceAgent: Agent;
  let bobAgent: Agent;

  /**
   * Alice: last term MATH (4 credits, 90) and PHYS (2 credits, 60) and PE (pass/fail, 1 credit, passed),
   * all published; this term ALGO with meetings, graded but not published yet.
   * Bob: last term SECRET-COURSE at 45, published, in a section Alice is not in.
   */
  beforeAll(async () => {
    t = await buildTestApp();
    alice = await createStudent(t.db, { name: 'Alice 李', email: 'alice@students.example.edu', phone: '13800000001' });
    bob = await createStudent(t.db, { name: 'Bob 王' });
    aliceAgent = await signIn(t.app, await createUser(t.db, 'student', { studentId: alice.id }));
    bobAgent = await signIn(t.app, await createUser(t.db, 'student', { studentId: bob.id }));

    const past = await createTerm(t.db, {
      name: '2025-2026 秋季学期',
      academic_year: '2025-2026',
      starts_on: '2025-09-01',
      ends_on: '2026-01-20',
    });
    const now = await createTerm(t.db, { name: '2026-2027 秋季学期', current: true });
    const teacher = await createStaff(t.db, { name: '张老师' });

    const graded = async (
      termId: number,
      student: number,
      course: { code: string; name: string; credits: number; grading?: 'score' | 'pass_fail' },
      grade: { score?: number; passed?: boolean },
      publish = true,
    ) => {
      const c = await createCourse(t.db, course);
      const s = await createSection(t.db, { courseId: c.id, termId, teacherStaffId: teacher.id, room: 'A101' });
      const e = await insertEnrolment(t.db, s.id, student);
      await insertGrade(t.db, e.id, grade);
      if (publish) await lockGrades(t.db, s.id);
      return s.id;
    };
    await graded(past.id, alice.id, { code: 'MATH101', name: '高等数学', credits: 4 }, { score: 90 });
    await graded(past.id, alice.id, { code: 'PHYS101', name: '大学物理', credits: 2 }, { score: 60 });
    await graded(
      past.id,
      alice.id,
      { code: 'PE101', name: '体育', credits: 1, grading: 'pass_fail' },
      { passed: true },
    );
    const algo = await createCourse(t.db, { code: 'ALGO201', name: '算法设计', credits: 3 });
    const algoSection = await createSection(t.db, {
      courseId: algo.id,
      termId: now.id,
      teacherStaffId: teacher.id,
      room: 'B202',
      meetings: [
        { day_of_week: 3, start_period: 3, end_period: 4 },
        { day_of_week: 1, start_period: 1, end_period: 2 },
      ],
    });
    const algoEnrolment = await insertEnrolment(t.db, algoSection.id, alice.id);
    await insertGrade(t.db, algoEnrolment.id, { score: 30 }); // not published: never shown
    await graded(past.id, bob.id, { code: 'SECRET1', name: '秘密课程', credits: 3 }, { score: 45 });
  });
  afterAll(() => t.close());

  describe('the overview', () => {
    it('shows this term’s timetable, the grade history per term and the GPA', async () => {
      const res = await aliceAgent.get('/me').set('Accept', 'text/html');
      expect(res.status).toBe(200);
      expect(res.text).toContain('Timetable: 2026-2027 Semester 1');
      expect(res.text).toContain('ALGO201 算法设计');
      expect(res.text).toContain('Monday, periods 1-2');
      expect(res.text).toContain('Wednesday, periods 3-4');
      expect(res.text).toContain('B202');
      expect(res.text).toContain('张老师');
      // (4*4.0 + 2*1.0) / 6 = 3.00; PE counts in credits only; ALGO's unpublished grade counts nowhere.
      expect(res.text).toMatch(/<dd data-gpa-overall>3\.00<\/dd>/);
      expect(res.text).toContain('Term GPA: 3.00 · credits earned: 7');
      expect(res.text).toContain(me.pending);
      expect(res.text).not.toContain('30.0');
    });

    it('answers JSON with the same, and the unpublished grade hidden', async () => {
      const res = await aliceAgent.get('/me').set('Accept', 'application/json');
      expect(res.status).toBe(200);
      const data = res.body.data;
      expect(data.student).toMatchObject({ id: alice.id, name: 'Alice 李' });
      expect(data.timetable).toHaveLength(1);
      expect(data.timetable[0]).toMatchObject({
        course_code: 'ALGO201',
        room: 'B202',
        meetings: [
          { day_of_week: 1, start_period: 1, end_period: 2 },
          { day_of_week: 3, start_period: 3, end_period: 4 },
        ],
      });
      expect(data.gpa.overall).toEqual({ gpa: 3, gpa_credits: 6, credits_earned: 7 });
      expect(data.gpa.terms).toHaveLength(2);
      const current = data.grades.find((g: { current: boolean }) => g.current);
      expect(current.courses[0]).toMatchObject({ course_code: 'ALGO201', score: null, published: false });
      expect(current.gpa).toBeNull();
      expect(JSON.stringify(data)).not.toContain('SECRET1');
    });
  });

  describe('the transcript', () => {
    it('lists each published course with its credits, score and grade points, and the GPA', async () => {
      const res = await aliceAgent.get('/me/transcript').set('Accept', 'text/html');
      expect(res.status).toBe(200);
      expect(res.text).toMatch(
        /<link rel="stylesheet" href="\/static\/css\/print\.css\?v=[0-9a-f]{10}" media="print">/,
      );
      expect(res.text).toContain('class="transcript"');
      for (const text of ['MATH101', '高等数学', 'PHYS101', '大学物理', 'PE101', '体育', '90.0', '60.0', 'Pass'])
        expect(res.text).toContain(text);
      expect(res.text).toMatch(/<td>4<\/td>\s*<td>90\.0<\/td>\s*<td>4\.0<\/td>/);
      expect(res.text).toMatch(/<dd data-gpa-overall>3\.00<\/dd>/);
      expect(res.text).toMatch(/<dd data-credits-earned>7<\/dd>/);
      expect(res.text).not.toContain('ALGO201'); // no published grade yet
      expect(res.text).not.toContain('SECRET1');
      expect(res.text).not.toMatch(/style=|<script>/);
    });

    it('answers JSON', async () => {
      const res = await aliceAgent.get('/me/transcript').set('Accept', 'application/json');
      expect(res.status).toBe(200);
      expect(res.body.data.student).toMatchObject({ id: alice.id, student_no: alice.student_no });
      expect(res.body.data.overall).toEqual({ gpa: 3, gpa_credits: 6, credits_earned: 7 });
      expect(res.body.data.terms).toHaveLength(1);
      expect(res.body.data.terms[0].courses).toEqual([
        expect.objectContaining({ course_code: 'MATH101', credits: 4, score: 90, grade_points: 4 }),
        expect.objectContaining({ course_code: 'PE101', credits: 1, passed: true, grade_points: null }),
        expect.objectContaining({ course_code: 'PHYS101', credits: 2, score: 60, grade_points: 1 }),
      ]);
    });

    it('is the printable page the print stylesheet styles', async () => {
      const css = await request(t.app).get('/static/css/print.css');
      expect(css.status).toBe(200);
      expect(css.text).toContain('.transcript');
    });
  });

  describe('no other student’s data, whatever the URL or body says', () => {
    it.each([
      `/me?student_id=BOB`,
      `/me?id=BOB`,
      `/me/transcript?student_id=BOB`,
      `/me/transcript?id=BOB`,
      `/me/profile?student_id=BOB`,
    ])('%s shows Alice’s own record', async (template) => {
      const path = template.replace('BOB', String(bob.id));
      const res = await aliceAgent.get(path).set('Accept', 'application/json');
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain('SECRET1');
      expect(JSON.stringify(res.body)).not.toContain(bob.student_no);
    });

    it.each(['/me/BOB', '/me/BOB/transcript', '/students/BOB', '/sections/SECTION/grades'])(
      '%s is not a way in',
      async (template) => {
        const section = await t.db('enrolments').where({ student_id: bob.id }).first();
        const path = template.replace('BOB', String(bob.id)).replace('SECTION', String(section.section_id));
        const res = await aliceAgent.get(path).set('Accept', 'application/json');
        expect([403, 404]).toContain(res.status);
        expect(JSON.stringify(res.body)).not.toContain('SECRET1');
      },
    );

    it('a profile save naming another student changes only the signed-in one', async () => {
      const before = await t.db('students').where({ id: bob.id }).first();
      const own = await t.db('students').where({ id: alice.id }).first();
      const token = await csrfToken(aliceAgent, '/me/profile');
      const res = await aliceAgent
        .post(`/me/profile?student_id=${bob.id}`)
        .set('Accept', 'application/json')
        .set('X-CSRF-Token', token)
        .send({
          id: bob.id,
          student_id: bob.id,
          email: 'alice2@example.edu',
          phone: '',
          address: '',
          version: own.version,
        });
      expect(res.status).toBe(200);
      expect(res.body.data.id).toBe(alice.id);
      expect(await t.db('students').where({ id: bob.id }).first()).toEqual(before);
    });

    it('Bob sees his own course and not Alice’s', async () => {
      const res = await bobAgent.get('/me').set('Accept', 'application/json');
      expect(JSON.stringify(res.body)).toContain('SECRET1');
      expect(JSON.stringify(res.body)).not.toContain('MATH101');
      expect(res.body.data.gpa.overall).toEqual({ gpa: 0, gpa_credits: 3, credits_earned: 0 });
    });
  });
});

describe('editing my contact details', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  async function signedInStudent() {
    const student = await createStudent(t.db, { name: '陈同学', status: 'enrolled' });
    const agent = await signIn(t.app, await createUser(t.db, 'student', { studentId: student.id }));
    return { student, agent };
  }

  async function openForm(agent: Agent) {
    const res = await agent.get('/me/profile').set('Accept', 'text/html');
    expect(res.status).toBe(200);
    const version = /<input type="hidden" name="version" value="(\d+)">/.exec(res.text)?.[1];
    return { token: csrfFromHtml(res.text), version: version!, html: res.text };
  }

  it('changes phone, email and address, ignores every other field, and audits the change', async () => {
    const { student, agent } = await signedInStudent();
    const { token, version } = await openForm(agent);
    const res = await agent.post('/me/profile').type('form').set('Accept', 'text/html').send({
      _csrf: token,
      version,
      email: 'new@example.edu',
      phone: '+86 139 0000 0000',
      address: '上海市徐汇区 2 号',
      name: 'Hacked Name',
      student_no: 'HACK0001',
      status: 'graduated',
      enrolment_year: '1999',
      class_id: '5',
    });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/me');
    const after = await t.db('students').where({ id: student.id }).first();
    expect(after).toMatchObject({
      email: 'new@example.edu',
      phone: '+86 139 0000 0000',
      address: '上海市徐汇区 2 号',
      name: student.name,
      student_no: student.student_no,
      status: 'enrolled',
      enrolment_year: student.enrolment_year,
      class_id: null,
      version: 2,
    });
    const audit = await t
      .db('audit_log')
      .where({ entity: 'student', entity_id: String(student.id) })
      .first();
    expect(audit.action).toBe('update_profile');
    expect(JSON.parse(audit.before_json)).toMatchObject({ email: student.email, version: 1 });
    expect(JSON.parse(audit.after_json)).toMatchObject({ email: 'new@example.edu', version: 2 });
    const page = await agent.get('/me').set('Accept', 'text/html');
    expect(page.text).toContain(me.profile_saved);
  });

  it.each([
    ['email', { email: 'not-an-email' }, core.validation.email],
    ['phone', { phone: 'call me' }, undefined],
    ['address', { address: 'x'.repeat(256) }, undefined],
    ['version', { version: 'abc' }, undefined],
  ])('a bad %s is a field error and nothing is written', async (field, bad, message) => {
    const { student, agent } = await signedInStudent();
    const { token, version } = await openForm(agent);
    const res = await agent
      .post('/me/profile')
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf: token, version, email: 'ok@example.edu', phone: '13900000000', address: '', ...bad });
    expect(res.status).toBe(422);
    if (field === 'version') expect(res.text).toContain('data-version-error');
    else expect(res.text).toMatch(new RegExp(`<p class="field-error" id="f-${field}-error">`));
    if (message) expect(res.text).toContain(message);
    expect(await t.db('students').where({ id: student.id }).first()).toMatchObject({
      email: student.email,
      version: 1,
    });
    expect(await t.db('audit_log').where({ entity: 'student', entity_id: String(student.id) })).toHaveLength(0);
  });

  it('refuses a stale version with 409 and both values, writing nothing', async () => {
    const { student, agent } = await signedInStudent();
    const { token, version } = await openForm(agent);
    await t.db('students').where({ id: student.id }).update({ phone: '13700000000', version: 2 });
    const res = await agent
      .post('/me/profile')
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf: token, version, email: 'mine@example.edu', phone: '13900000000', address: '' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('13700000000');
    expect(res.text).toContain('<input type="hidden" name="version" value="2">');
    expect(await t.db('students').where({ id: student.id }).first()).toMatchObject({
      phone: '13700000000',
      version: 2,
    });

    const json = await agent
      .post('/me/profile')
      .set('Accept', 'application/json')
      .set('X-CSRF-Token', token)
      .send({ version: 1, email: 'mine@example.edu' });
    expect(json.status).toBe(409);
    expect(json.body.error.current).toMatchObject({ phone: '13700000000', version: 2 });
  });

  it('a student account with no linked record gets 404', async () => {
    const agent = await signIn(t.app, await createUser(t.db, 'student'));
    for (const path of ['/me', '/me/profile', '/me/transcript'])
      expect((await agent.get(path).set('Accept', 'application/json')).status).toBe(404);
  });

  describe('who may open /me', () => {
    let staff: Agent;
    let admin: Agent;
    beforeAll(async () => {
      staff = await signIn(t.app, await createUser(t.db, 'staff'));
      admin = await signIn(t.app, await createUser(t.db, 'admin'));
    });

    it.each(['/me', '/me/profile', '/me/transcript'])(
      'GET %s: anonymous to /login or 401, staff and admin 403',
      async (path) => {
        const anonymousHtml = await request(t.app).get(path).set('Accept', 'text/html');
        expect(anonymousHtml.status).toBe(302);
        expect(anonymousHtml.headers.location).toBe('/login');
        expect((await request(t.app).get(path).set('Accept', 'application/json')).status).toBe(401);
        for (const agent of [staff, admin]) {
          expect((await agent.get(path).set('Accept', 'text/html')).status).toBe(403);
          const json = await agent.get(path).set('Accept', 'application/json');
          expect(json.status).toBe(403);
          expect(json.body.error.code).toBe('forbidden');
        }
      },
    );

    it('POST /me/profile: anonymous refused (no CSRF token), staff and admin 403, nothing written', async () => {
      const audits = (await t.db('audit_log').where({ action: 'update_profile' })).length;
      expect((await request(t.app).post('/me/profile').set('Accept', 'application/json').send({})).status).toBe(403);
      for (const agent of [staff, admin]) {
        const token = await csrfToken(agent, '/account/password');
        const res = await agent
          .post('/me/profile')
          .set('Accept', 'application/json')
          .set('X-CSRF-Token', token)
          .send({ email: 'x@example.edu', version: 1 });
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
      }
      expect(await t.db('audit_log').where({ action: 'update_profile' })).toHaveLength(audits);
    });
  });
});
