// An administrator reopens published grades to correct a mistake: a reason is required and audited, staff
// cannot, the student sees "being corrected" (no GPA counts the grade) until the grades are locked again.
import request, { type Response } from 'supertest';
import en from '../../src/i18n/locales/grades.en.json';
import zh from '../../src/i18n/locales/grades.zh-CN.json';
import { createStudent, createUser, insertGrade, lockGrades, sectionWithStudents } from '../helpers/factories';
import { type Agent, csrfFromHtml, csrfToken, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

const r = en.grades.reopen;

function unescapeHtml(text: string): string {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#34': '"' };
  return text.replace(/&(amp|lt|gt|quot|#39|#34);/g, (_m, name: string) => entities[name]!);
}

describe('reopening published grades for correction', () => {
  let t: TestApp;
  let staff: Agent;
  let admin: Agent;
  let adminName: string;

  beforeAll(async () => {
    t = await buildTestApp();
    staff = await signIn(t.app, await createUser(t.db, 'staff'));
    const adminUser = await createUser(t.db, 'admin');
    adminName = adminUser.username;
    admin = await signIn(t.app, adminUser);
  });
  afterAll(() => t.close());

  /** A locked section with one graded student; the student's agent to read /me. */
  async function lockedSection(score = 58) {
    const student = await createStudent(t.db);
    const { sectionId, enrolmentIds } = await sectionWithStudents(t.db, [student.id], { course: { credits: 4 } });
    await insertGrade(t.db, enrolmentIds[0]!, { score });
    await lockGrades(t.db, sectionId);
    return { sectionId, enrolmentId: enrolmentIds[0]!, studentId: student.id };
  }

  async function gridPage(agent: Agent, sectionId: number) {
    const res = await agent.get(`/sections/${sectionId}/grades`).set('Accept', 'text/html');
    expect(res.status).toBe(200);
    return { html: res.text, token: csrfFromHtml(res.text) };
  }

  async function reopenForm(agent: Agent, sectionId: number, body: Record<string, string>): Promise<Response> {
    const { token } = await gridPage(agent, sectionId);
    return agent
      .post(`/sections/${sectionId}/grades/reopen`)
      .type('form')
      .set('Accept', 'text/html')
      .send({ ...body, _csrf: token });
  }

  async function postJson(agent: Agent, path: string, body: Record<string, unknown>, key?: string) {
    const token = await csrfToken(agent, '/account/password');
    const req = agent.post(path).set('Accept', 'application/json').set('X-CSRF-Token', token);
    if (key) req.set('Idempotency-Key', key);
    return req.send(body);
  }

  const reopenAudits = (sectionId: number) =>
    t.db('audit_log').where({ entity: 'section', entity_id: String(sectionId), action: 'reopen_grades' });
  const sectionRow = (sectionId: number) => t.db('sections').where({ id: sectionId }).first();

  describe('the reason', () => {
    it.each([
      ['missing', {}, r.reason_required],
      ['blank', { reason: '    ' }, r.reason_required],
      ['too short once trimmed', { reason: '  typo  ' }, r.reason_length],
      ['too long', { reason: 'x'.repeat(501) }, r.reason_length],
    ])('refuses a %s reason with the form again (422) and leaves the grades locked', async (_name, body, message) => {
      const { sectionId } = await lockedSection();
      const res = await reopenForm(admin, sectionId, body);
      expect(res.status).toBe(422);
      const error = /<p class="field-error" id="f-reason-error">([^<]*)<\/p>/.exec(res.text)?.[1];
      expect(unescapeHtml(error ?? '')).toBe(message);
      expect(res.text).toMatch(/<details class="card reopen-grades" data-reopen open>/);
      expect((await sectionRow(sectionId)).grades_locked_at).not.toBeNull();
      expect(await reopenAudits(sectionId)).toHaveLength(0);
    });

    it('keeps what was typed when refused, and answers JSON with a field error', async () => {
      const { sectionId } = await lockedSection();
      const html = await reopenForm(admin, sectionId, { reason: 'abc' });
      expect(html.text).toMatch(/<textarea id="f-reason" name="reason"[^>]*>abc<\/textarea>/);
      const json = await postJson(admin, `/sections/${sectionId}/grades/reopen`, { reason: '' });
      expect(json.status).toBe(422);
      expect(json.body.error.fields.reason).toBe(r.reason_required);
    });

    it('counts characters, so five Chinese characters are enough and 500 is the most', async () => {
      const { sectionId } = await lockedSection();
      const ok = await postJson(admin, `/sections/${sectionId}/grades/reopen`, { reason: '录入有误。' });
      expect(ok.status).toBe(200);
      const other = await lockedSection();
      const longest = await postJson(admin, `/sections/${other.sectionId}/grades/reopen`, {
        reason: `  ${'成'.repeat(500)}  `,
      });
      expect(longest.status).toBe(200);
      const audit = (await reopenAudits(other.sectionId))[0];
      expect(JSON.parse(audit.after_json).reason).toBe('成'.repeat(500));
    });
  });

  it('reopens a locked section with an audit row naming who, why and what was locked before', async () => {
    const { sectionId } = await lockedSection();
    const res = await reopenForm(admin, sectionId, { reason: '  Score of 2024001 mistyped: 58 instead of 85  ' });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`/sections/${sectionId}/grades`);

    const row = await sectionRow(sectionId);
    expect(row.grades_locked_at).toBeNull();
    expect(row.grades_reopened_at).not.toBeNull();
    const audits = await reopenAudits(sectionId);
    expect(audits).toHaveLength(1);
    expect(audits[0].actor_username).toBe(adminName);
    expect(JSON.parse(audits[0].before_json).grades_locked_at).not.toBeNull();
    const after = JSON.parse(audits[0].after_json);
    expect(after).toMatchObject({ grades_locked_at: null, reason: 'Score of 2024001 mistyped: 58 instead of 85' });

    const { html } = await gridPage(admin, sectionId);
    expect(html).toContain(r.done);
    expect(html).toContain('data-reopened');
    expect(unescapeHtml(html)).toContain('(Reason: Score of 2024001 mistyped: 58 instead of 85)');
    expect(html).not.toContain('data-locked');
    expect(html).not.toContain('disabled');
  });

  it('says "already open" for grades that are not locked, writing nothing (like a second lock)', async () => {
    const { sectionId } = await lockedSection();
    expect((await postJson(admin, `/sections/${sectionId}/grades/reopen`, { reason: 'first reopen' })).status).toBe(
      200,
    );
    const again = await postJson(admin, `/sections/${sectionId}/grades/reopen`, { reason: 'second reopen' });
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({ section_id: sectionId, changed: false, grades_locked_at: null });
    expect(await reopenAudits(sectionId)).toHaveLength(1);

    const html = await reopenForm(admin, sectionId, { reason: 'third reopen' });
    expect(html.status).toBe(302);
    expect((await gridPage(admin, sectionId)).html).toContain(r.already_open);
  });

  it('answers 404 for an unknown section', async () => {
    expect((await postJson(admin, '/sections/999999/grades/reopen', { reason: 'no such section' })).status).toBe(404);
  });

  it('replays a repeated submission (same _idem): one reopen, one audit row', async () => {
    const { sectionId } = await lockedSection();
    const { token } = await gridPage(admin, sectionId);
    const body = { reason: 'double click on reopen', _csrf: token, _idem: 'reopen-key-0001' };
    const send = () =>
      admin.post(`/sections/${sectionId}/grades/reopen`).type('form').set('Accept', 'text/html').send(body);
    const first = await send();
    const second = await send();
    expect(first.status).toBe(302);
    expect(second.status).toBe(302);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await reopenAudits(sectionId)).toHaveLength(1);
  });

  it('lets staff correct a grade once reopened, then lock again: the corrected grade is published', async () => {
    const { sectionId, enrolmentId } = await lockedSection(58);
    const locked = await postJson(staff, `/sections/${sectionId}/grades`, {
      grades: [{ enrolment_id: enrolmentId, score: 85, version: 1 }],
    });
    expect(locked.status).toBe(409);

    await postJson(admin, `/sections/${sectionId}/grades/reopen`, { reason: '58 should have been 85' });
    const saved = await postJson(staff, `/sections/${sectionId}/grades`, {
      grades: [{ enrolment_id: enrolmentId, score: 85, version: 1 }],
    });
    expect(saved.status).toBe(200);
    expect(saved.body.data.changed).toBe(1);

    const relock = await postJson(staff, `/sections/${sectionId}/grades/lock`, {});
    expect(relock.status).toBe(200);
    expect(relock.body.data.changed).toBe(true);
    const row = await sectionRow(sectionId);
    expect(row.grades_locked_at).not.toBeNull();
    expect(row.grades_reopened_at).toBeNull();
    expect(Number((await t.db('grades').where({ enrolment_id: enrolmentId }).first()).score)).toBe(85);
  });

  describe('the grid page', () => {
    it('offers admins a reopen form with a confirmation; staff see who locked and that an admin can reopen', async () => {
      const student = await createStudent(t.db);
      const { sectionId, enrolmentIds } = await sectionWithStudents(t.db, [student.id]);
      await insertGrade(t.db, enrolmentIds[0]!, { score: 70 });
      const staffUser = await createUser(t.db, 'staff');
      const locker = await signIn(t.app, staffUser);
      expect((await postJson(locker, `/sections/${sectionId}/grades/lock`, {})).status).toBe(200);

      const adminHtml = unescapeHtml((await gridPage(admin, sectionId)).html);
      expect(adminHtml).toContain(`action="/sections/${sectionId}/grades/reopen"`);
      expect(adminHtml).toContain(`data-confirm="${r.confirm}"`);
      expect(adminHtml).toContain('name="_idem"');
      expect(adminHtml).not.toContain(r.staff_note);

      const staffHtml = unescapeHtml((await gridPage(staff, sectionId)).html);
      expect(staffHtml).not.toContain('/grades/reopen');
      expect(staffHtml).toContain(r.staff_note);
      expect(staffHtml).toContain(`Grades were locked and published by ${staffUser.username} on`);

      const zhHtml = unescapeHtml(
        (await staff.get(`/sections/${sectionId}/grades?lang=zh-CN`).set('Accept', 'text/html')).text,
      );
      expect(zhHtml).toContain(zh.grades.reopen.staff_note);
      await staff.get('/?lang=en');
    });

    it('shows staff the reopening and its reason, and the lock form again', async () => {
      const { sectionId } = await lockedSection();
      await postJson(admin, `/sections/${sectionId}/grades/reopen`, { reason: 'Wrong student graded' });
      const html = unescapeHtml((await gridPage(staff, sectionId)).html);
      expect(html).toContain(`Grades were reopened for correction by ${adminName} on`);
      expect(html).toContain('(Reason: Wrong student graded)');
      expect(html).toContain(`action="/sections/${sectionId}/grades/lock"`);
    });
  });

  it('names the action in the audit log, in both languages', async () => {
    const { sectionId } = await lockedSection();
    await postJson(admin, `/sections/${sectionId}/grades/reopen`, { reason: 'audit log wording' });
    const path = `/admin/audit?entity=section&entity_id=${sectionId}&action=reopen_grades`;
    const html = unescapeHtml((await admin.get(`${path}&lang=en`).set('Accept', 'text/html')).text);
    expect(html).toContain(en.audit.actions.reopen_grades);
    expect(html).toContain('audit log wording');
    const zhHtml = unescapeHtml((await admin.get(`${path}&lang=zh-CN`).set('Accept', 'text/html')).text);
    expect(zhHtml).toContain(zh.audit.actions.reopen_grades);
    await admin.get('/?lang=en');
  });

  describe('what the student sees while the grades are reopened', () => {
    it('/me shows the course as being corrected, no GPA counts it, the transcript leaves it out until relocked', async () => {
      const student = await createStudent(t.db);
      const studentAgent = await signIn(t.app, await createUser(t.db, 'student', { studentId: student.id }));
      const kept = await sectionWithStudents(t.db, [student.id], { course: { credits: 2 } });
      await insertGrade(t.db, kept.enrolmentIds[0]!, { score: 90 }); // 4.0
      await lockGrades(t.db, kept.sectionId);
      const fixed = await sectionWithStudents(t.db, [student.id], { course: { credits: 2 } });
      await insertGrade(t.db, fixed.enrolmentIds[0]!, { score: 58 }); // 0.0
      await lockGrades(t.db, fixed.sectionId);

      const gpa = async () => (await studentAgent.get('/me').set('Accept', 'application/json')).body.data;
      expect((await gpa()).gpa.overall.gpa).toBe(2);

      await postJson(admin, `/sections/${fixed.sectionId}/grades/reopen`, { reason: '58 should be 85' });
      const during = await gpa();
      expect(during.gpa.overall).toMatchObject({ gpa: 4, gpa_credits: 2 });
      const course = during.grades
        .flatMap((term: { courses: { section_id: number }[] }) => term.courses)
        .find((c: { section_id: number }) => c.section_id === fixed.sectionId);
      expect(course).toMatchObject({ score: null, published: false, being_corrected: true });

      const page = await studentAgent.get('/me').set('Accept', 'text/html');
      expect(page.text).toContain(`data-being-corrected>${en.me.being_corrected}</td>`);
      const transcript = await studentAgent.get('/me/transcript').set('Accept', 'application/json');
      const listed = transcript.body.data.terms.flatMap((term: { courses: { section_id: number }[] }) =>
        term.courses.map((c) => c.section_id),
      );
      expect(listed).toContain(kept.sectionId);
      expect(listed).not.toContain(fixed.sectionId);

      await postJson(staff, `/sections/${fixed.sectionId}/grades`, {
        grades: [{ enrolment_id: fixed.enrolmentIds[0], score: 85, version: 1 }],
      });
      await postJson(staff, `/sections/${fixed.sectionId}/grades/lock`, {});
      const after = await gpa();
      expect(after.gpa.overall).toMatchObject({ gpa: 3.85, gpa_credits: 4 });
      const relocked = after.grades
        .flatMap((term: { courses: { section_id: number }[] }) => term.courses)
        .find((c: { section_id: number }) => c.section_id === fixed.sectionId);
      expect(relocked).toMatchObject({ score: 85, published: true, being_corrected: false });
    });
  });
});

describe('who may reopen grades', () => {
  let t: TestApp;
  const agents: Record<string, Agent> = {};
  let sectionId: number;

  beforeAll(async () => {
    t = await buildTestApp();
    const own = await createStudent(t.db);
    const section = await sectionWithStudents(t.db, [own.id]);
    sectionId = section.sectionId;
    await lockGrades(t.db, sectionId);
    agents.student = await signIn(t.app, await createUser(t.db, 'student', { studentId: own.id }));
    agents.staff = await signIn(t.app, await createUser(t.db, 'staff'));
    agents.admin = await signIn(t.app, await createUser(t.db, 'admin'));
  });
  afterAll(() => t.close());

  const send = async (agent: Agent, format: 'html' | 'json', tokenPage = '/account/password') => {
    const token = await csrfToken(agent, tokenPage);
    return agent
      .post(`/sections/${sectionId}/grades/reopen`)
      .set('Accept', format === 'json' ? 'application/json' : 'text/html')
      .set('X-CSRF-Token', token)
      .send({ reason: 'role matrix check' });
  };

  it('anonymous (with a valid CSRF token): HTML goes to /login, JSON gets 401', async () => {
    const anonymous = request.agent(t.app);
    const html = await send(anonymous, 'html', '/login');
    expect(html.status).toBe(302);
    expect(html.headers.location).toBe('/login');
    expect((await send(anonymous, 'json', '/login')).status).toBe(401);
  });

  it.each(['student', 'staff'])('%s gets 403 and the grades stay locked', async (role) => {
    for (const format of ['html', 'json'] as const) {
      const res = await send(agents[role]!, format);
      expect(res.status).toBe(403);
      if (format === 'json') expect(res.body.error.code).toBe('forbidden');
    }
    expect((await t.db('sections').where({ id: sectionId }).first()).grades_locked_at).not.toBeNull();
  });

  it('admin may', async () => {
    const res = await send(agents.admin!, 'json');
    expect(res.status).toBe(200);
    expect(res.body.data.changed).toBe(true);
  });
});
