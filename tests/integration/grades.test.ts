// The grade grid of a section: one save for the whole grid, a field error per bad cell, a 409 per
// stale cell with nothing lost, locked sections refused, and who may open it.
import type { Response } from 'supertest';
import en from '../../src/i18n/locales/grades.en.json';
import { createStudent, createUser, insertEnrolment, insertGrade, sectionWithStudents } from '../helpers/factories';
import { type Agent, csrfFromHtml, csrfToken, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

const v = en.grades.validation;

function unescapeHtml(text: string): string {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#34': '"' };
  return text.replace(/&(amp|lt|gt|quot|#39|#34);/g, (_m, name: string) => entities[name]!);
}

/** Every cell error of a re-rendered grid, by field name. */
function cellErrors(html: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const m of html.matchAll(/<p class="field-error" id="g-\d+-error" data-field="([^"]+)">([^<]*)<\/p>/g))
    found[m[1]!] = unescapeHtml(m[2]!);
  return found;
}

const inputValue = (html: string, field: string) =>
  new RegExp(`name="${field.replace(/[[\]]/g, '\\$&')}"[^>]*value="([^"]*)"`).exec(html)?.[1];

describe('the grade grid', () => {
  let t: TestApp;
  let staff: Agent;
  let admin: Agent;
  let studentIds: number[];

  beforeAll(async () => {
    t = await buildTestApp();
    staff = await signIn(t.app, await createUser(t.db, 'staff'));
    admin = await signIn(t.app, await createUser(t.db, 'admin'));
    studentIds = [];
    for (let i = 0; i < 3; i++) studentIds.push((await createStudent(t.db)).id);
  });
  afterAll(() => t.close());

  const grades = async (enrolmentIds: number[]) =>
    (await t.db('grades').whereIn('enrolment_id', enrolmentIds).orderBy('enrolment_id')).map((g) => ({
      enrolment_id: Number(g.enrolment_id),
      score: g.score === null ? null : Number(g.score),
      passed: g.passed === null ? null : Boolean(Number(g.passed)),
      version: Number(g.version),
    }));
  const gradeAudits = () => t.db('audit_log').where({ entity: 'grade' });

  async function openGrid(agent: Agent, sectionId: number): Promise<{ token: string; html: string }> {
    const res = await agent.get(`/sections/${sectionId}/grades`).set('Accept', 'text/html');
    expect(res.status).toBe(200);
    return { token: csrfFromHtml(res.text), html: res.text };
  }

  function saveGrid(agent: Agent, sectionId: number, token: string, body: Record<string, string>): Promise<Response> {
    return agent
      .post(`/sections/${sectionId}/grades`)
      .type('form')
      .set('Accept', 'text/html')
      .send({ ...body, _csrf: token });
  }

  async function saveJson(agent: Agent, sectionId: number, body: Record<string, unknown>): Promise<Response> {
    const token = await csrfToken(agent, `/sections/${sectionId}/grades`);
    return agent
      .post(`/sections/${sectionId}/grades`)
      .set('Accept', 'application/json')
      .set('X-CSRF-Token', token)
      .send(body);
  }

  describe('showing the grid', () => {
    it('lists every enrolled student (not dropped or waitlisted) with an input and a hidden version', async () => {
      const { sectionId, enrolmentIds } = await sectionWithStudents(t.db, studentIds.slice(0, 2));
      const dropped = await createStudent(t.db, { name: '退课学生' });
      await insertEnrolment(t.db, sectionId, dropped.id, 'dropped');
      await insertGrade(t.db, enrolmentIds[1]!, { score: 77.5, version: 3 });

      const { html } = await openGrid(staff, sectionId);
      expect(inputValue(html, `score[${enrolmentIds[0]}]`)).toBe('');
      expect(inputValue(html, `version[${enrolmentIds[0]}]`)).toBe('0');
      expect(inputValue(html, `score[${enrolmentIds[1]}]`)).toBe('77.5');
      expect(inputValue(html, `version[${enrolmentIds[1]}]`)).toBe('3');
      expect(html).not.toContain('退课学生');
    });

    it('answers JSON with one cell per enrolled student', async () => {
      const { sectionId, enrolmentIds } = await sectionWithStudents(t.db, studentIds.slice(0, 2), {
        course: { grading: 'pass_fail', credits: 1 },
      });
      await insertGrade(t.db, enrolmentIds[0]!, { passed: true });
      const res = await admin.get(`/sections/${sectionId}/grades`).set('Accept', 'application/json');
      expect(res.status).toBe(200);
      expect(res.body.data.section).toMatchObject({ id: sectionId, grading: 'pass_fail', credits: 1, locked: false });
      expect(res.body.data.grades).toHaveLength(2);
      expect(
        res.body.data.grades.find((g: { enrolment_id: number }) => g.enrolment_id === enrolmentIds[0]),
      ).toMatchObject({ passed: true, score: null, version: 1 });
    });

    it('shows a pass/fail select for a pass/fail course', async () => {
      const { sectionId, enrolmentIds } = await sectionWithStudents(t.db, [studentIds[0]!], {
        course: { grading: 'pass_fail' },
      });
      const { html } = await openGrid(staff, sectionId);
      expect(html).toContain(`<select id="g-${enrolmentIds[0]}" name="passed[${enrolmentIds[0]}]"`);
    });

    it('answers 404 for an unknown or malformed section id', async () => {
      expect((await staff.get('/sections/999999/grades').set('Accept', 'application/json')).status).toBe(404);
      expect((await staff.get('/sections/abc/grades').set('Accept', 'text/html')).status).toBe(404);
    });
  });

  describe('saving the grid', () => {
    it('saves every changed cell in one go with an audit row each, and leaves unchanged cells alone', async () => {
      const {
        sectionId,
        enrolmentIds: [a, b, c],
      } = await sectionWithStudents(t.db, studentIds);
      await insertGrade(t.db, c!, { score: 60, version: 1 });
      const auditsBefore = (await gradeAudits()).length;
      const { token } = await openGrid(staff, sectionId);

      const res = await saveGrid(staff, sectionId, token, {
        [`score[${a}]`]: '89.9',
        [`version[${a}]`]: '0',
        [`score[${b}]`]: ' 100 ',
        [`version[${b}]`]: '0',
        [`score[${c}]`]: '60.0',
        [`version[${c}]`]: '1',
      });
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(`/sections/${sectionId}/grades`);
      expect(await grades([a!, b!, c!])).toEqual([
        { enrolment_id: a, score: 89.9, passed: null, version: 1 },
        { enrolment_id: b, score: 100, passed: null, version: 1 },
        { enrolment_id: c, score: 60, passed: null, version: 1 },
      ]);
      const audits = (await gradeAudits()).slice(auditsBefore);
      expect(audits).toHaveLength(2);
      expect(audits.map((r) => r.action)).toEqual(['create', 'create']);
      expect(JSON.parse(audits[0].after_json)).toMatchObject({ enrolment_id: a, score: 89.9, version: 1 });

      const page = await staff.get(`/sections/${sectionId}/grades`).set('Accept', 'text/html');
      expect(page.text).toContain('Grades saved (2 changed).');
    });

    it('updates a saved grade with its version and records before and after', async () => {
      const {
        sectionId,
        enrolmentIds: [a],
      } = await sectionWithStudents(t.db, [studentIds[0]!]);
      await insertGrade(t.db, a!, { score: 70, version: 2 });
      const res = await saveJson(staff, sectionId, { grades: [{ enrolment_id: a, score: 71.5, version: 2 }] });
      expect(res.status).toBe(200);
      expect(res.body.data.changed).toBe(1);
      expect(res.body.data.grades[0]).toMatchObject({ enrolment_id: a, score: 71.5, version: 3 });
      const audit = await t.db('audit_log').where({ entity: 'grade', action: 'update' }).orderBy('id', 'desc').first();
      expect(JSON.parse(audit.before_json)).toMatchObject({ score: 70, version: 2 });
      expect(JSON.parse(audit.after_json)).toMatchObject({ score: 71.5, version: 3 });
    });

    it('saves pass/fail cells from the select', async () => {
      const {
        sectionId,
        enrolmentIds: [a, b],
      } = await sectionWithStudents(t.db, studentIds.slice(0, 2), {
        course: { grading: 'pass_fail' },
      });
      const { token } = await openGrid(staff, sectionId);
      const res = await saveGrid(staff, sectionId, token, {
        [`passed[${a}]`]: 'pass',
        [`version[${a}]`]: '0',
        [`passed[${b}]`]: 'fail',
        [`version[${b}]`]: '0',
      });
      expect(res.status).toBe(302);
      expect(await grades([a!, b!])).toEqual([
        { enrolment_id: a, score: null, passed: true, version: 1 },
        { enrolment_id: b, score: null, passed: false, version: 1 },
      ]);
    });
  });

  describe('every bad cell gets its own field error and nothing is saved', () => {
    it.each([
      ['above 100', '100.1'],
      ['negative', '-1'],
      ['two decimals', '88.55'],
      ['not a number', 'abc'],
      ['an exponent', '1e2'],
      ['a comma decimal', '88,5'],
    ])('a score %s (%p)', async (_title, bad) => {
      const {
        sectionId,
        enrolmentIds: [a, b, c],
      } = await sectionWithStudents(t.db, studentIds);
      const auditsBefore = (await gradeAudits()).length;
      const { token } = await openGrid(staff, sectionId);
      const res = await saveGrid(staff, sectionId, token, {
        [`score[${a}]`]: '95',
        [`version[${a}]`]: '0',
        [`score[${b}]`]: bad,
        [`version[${b}]`]: '0',
        [`score[${c}]`]: '101',
        [`version[${c}]`]: '0',
      });
      expect(res.status).toBe(422);
      expect(cellErrors(res.text)).toEqual({ [`score[${b}]`]: v.score, [`score[${c}]`]: v.score });
      // The entries come back as typed.
      expect(inputValue(res.text, `score[${a}]`)).toBe('95');
      expect(unescapeHtml(inputValue(res.text, `score[${b}]`)!)).toBe(bad);
      expect(await grades([a!, b!, c!])).toEqual([]);
      expect((await gradeAudits()).length).toBe(auditsBefore);
    });

    it.each<[string, 'score' | 'pass_fail', (e: number) => Record<string, unknown>, (e: number) => string, string]>([
      [
        'a malformed version',
        'score',
        (e) => ({ [`score[${e}]`]: '80', [`version[${e}]`]: 'x' }),
        (e) => `version[${e}]`,
        v.version,
      ],
      [
        'a pass/fail value that is neither',
        'pass_fail',
        (e) => ({ [`passed[${e}]`]: 'maybe' }),
        (e) => `passed[${e}]`,
        v.passed,
      ],
      [
        'a score for a pass/fail course',
        'pass_fail',
        (e) => ({ [`score[${e}]`]: '80' }),
        (e) => `score[${e}]`,
        v.pass_fail_course,
      ],
      [
        'pass/fail for a scored course',
        'score',
        (e) => ({ [`passed[${e}]`]: 'pass' }),
        (e) => `passed[${e}]`,
        v.score_course,
      ],
      [
        'a student not enrolled in the section',
        'score',
        () => ({ 'score[999999]': '80' }),
        () => 'score[999999]',
        v.not_enrolled,
      ],
    ])('%s (JSON)', async (_title, grading, body, field, message) => {
      const {
        sectionId,
        enrolmentIds: [a, b],
      } = await sectionWithStudents(t.db, studentIds.slice(0, 2), {
        course: { grading },
      });
      const good = grading === 'score' ? { [`score[${b}]`]: '75' } : { [`passed[${b}]`]: 'pass' };
      const res = await saveJson(staff, sectionId, { ...good, ...body(a!) });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.fields).toEqual({ [field(a!)]: message });
      expect(await grades([a!, b!])).toEqual([]);
    });

    it('a dropped student is not a cell of the grid', async () => {
      const { sectionId } = await sectionWithStudents(t.db, [studentIds[0]!]);
      const { id: droppedEnrolment } = await insertEnrolment(t.db, sectionId, studentIds[1]!, 'dropped');
      const res = await saveJson(staff, sectionId, { [`score[${droppedEnrolment}]`]: '80' });
      expect(res.status).toBe(422);
      expect(res.body.error.fields).toEqual({ [`score[${droppedEnrolment}]`]: v.not_enrolled });
      expect(await grades([droppedEnrolment])).toEqual([]);
    });
  });

  describe('two teachers saving the same cell', () => {
    it('lets the first save win and answers the second with a 409 naming the cell and its saved value', async () => {
      const alice = staff;
      const bob = await signIn(t.app, await createUser(t.db, 'staff'));
      const {
        sectionId,
        enrolmentIds: [a, b],
      } = await sectionWithStudents(t.db, studentIds.slice(0, 2));
      const alicePage = await openGrid(alice, sectionId);
      const bobPage = await openGrid(bob, sectionId);

      const first = await saveGrid(alice, sectionId, alicePage.token, {
        [`score[${a}]`]: '80',
        [`version[${a}]`]: '0',
      });
      expect(first.status).toBe(302);

      const second = await saveGrid(bob, sectionId, bobPage.token, {
        [`score[${a}]`]: '90',
        [`version[${a}]`]: '0',
        [`score[${b}]`]: '70',
        [`version[${b}]`]: '0',
      });
      expect(second.status).toBe(409);
      expect(second.text).toContain('data-stale');
      expect(second.text).toContain(`data-stale-cell="${a}">Saved now by someone else: 80.0`);
      expect(second.text).not.toContain(`data-stale-cell="${b}"`);
      // Bob's entries are kept, and the stale cell now carries the saved version so a second save is deliberate.
      expect(inputValue(second.text, `score[${a}]`)).toBe('90');
      expect(inputValue(second.text, `score[${b}]`)).toBe('70');
      expect(inputValue(second.text, `version[${a}]`)).toBe('1');
      // Nothing lost, nothing of Bob's half-saved.
      expect(await grades([a!, b!])).toEqual([{ enrolment_id: a, score: 80, passed: null, version: 1 }]);

      const again = await saveGrid(bob, sectionId, csrfFromHtml(second.text), {
        [`score[${a}]`]: '90',
        [`version[${a}]`]: '1',
        [`score[${b}]`]: '70',
        [`version[${b}]`]: '0',
      });
      expect(again.status).toBe(302);
      expect(await grades([a!, b!])).toEqual([
        { enrolment_id: a, score: 90, passed: null, version: 2 },
        { enrolment_id: b, score: 70, passed: null, version: 1 },
      ]);
    });

    it('answers JSON with the current value of each stale cell', async () => {
      const {
        sectionId,
        enrolmentIds: [a],
      } = await sectionWithStudents(t.db, [studentIds[0]!]);
      await insertGrade(t.db, a!, { score: 66, version: 4 });
      const res = await saveJson(staff, sectionId, { [`score[${a}]`]: '99', [`version[${a}]`]: '3' });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('stale_version');
      expect(res.body.error.current.cells).toEqual([
        { enrolment_id: a, field: `score[${a}]`, score: 66, passed: null, version: 4 },
      ]);
      expect(await grades([a!])).toEqual([{ enrolment_id: a, score: 66, passed: null, version: 4 }]);
    });

    it('does not refuse a stale cell whose value was left as it is saved', async () => {
      const {
        sectionId,
        enrolmentIds: [a, b],
      } = await sectionWithStudents(t.db, studentIds.slice(0, 2));
      await insertGrade(t.db, a!, { score: 66, version: 2 });
      const res = await saveJson(staff, sectionId, {
        [`score[${a}]`]: '66.0',
        [`version[${a}]`]: '1',
        [`score[${b}]`]: '50',
        [`version[${b}]`]: '0',
      });
      expect(res.status).toBe(200);
      expect(res.body.data.changed).toBe(1);
    });

    it('with the two saves sent at the same moment, exactly one wins', async () => {
      const bob = await signIn(t.app, await createUser(t.db, 'staff'));
      const {
        sectionId,
        enrolmentIds: [a],
      } = await sectionWithStudents(t.db, [studentIds[0]!]);
      const results = await Promise.all([
        saveJson(staff, sectionId, { [`score[${a}]`]: '81', [`version[${a}]`]: '0' }),
        saveJson(bob, sectionId, { [`score[${a}]`]: '82', [`version[${a}]`]: '0' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = results.find((r) => r.status === 200)!;
      const loser = results.find((r) => r.status === 409)!;
      const [saved] = await grades([a!]);
      expect(saved).toMatchObject({ score: winner.body.data.grades[0].score, version: 1 });
      expect(loser.body.error.current.cells[0]).toMatchObject({ score: saved!.score, version: 1 });
      expect(
        (
          await t
            .db('audit_log')
            .where({ entity: 'grade' })
            .whereIn('entity_id', [String((await t.db('grades').where({ enrolment_id: a }).first()).id)])
        ).length,
      ).toBe(1);
    });
  });

  describe('locking a section', () => {
    it('locks once with an audit row, then refuses every edit with 409 and changes nothing', async () => {
      const {
        sectionId,
        enrolmentIds: [a],
      } = await sectionWithStudents(t.db, [studentIds[0]!]);
      await insertGrade(t.db, a!, { score: 55, version: 1 });
      const { token, html } = await openGrid(staff, sectionId);
      expect(html).toContain(`action="/sections/${sectionId}/grades/lock"`);

      const lock = await staff
        .post(`/sections/${sectionId}/grades/lock`)
        .type('form')
        .set('Accept', 'text/html')
        .send({ _csrf: token });
      expect(lock.status).toBe(302);
      expect((await t.db('sections').where({ id: sectionId }).first()).grades_locked_at).not.toBeNull();
      const audits = await t
        .db('audit_log')
        .where({ entity: 'section', entity_id: String(sectionId), action: 'lock_grades' });
      expect(audits).toHaveLength(1);
      expect(JSON.parse(audits[0].before_json).grades_locked_at).toBeNull();

      const refused = await saveGrid(staff, sectionId, token, { [`score[${a}]`]: '60', [`version[${a}]`]: '1' });
      expect(refused.status).toBe(409);
      expect(refused.text).toContain(en.grades.locked);
      const json = await saveJson(admin, sectionId, { [`score[${a}]`]: '60', [`version[${a}]`]: '1' });
      expect(json.status).toBe(409);
      expect(json.body.error.code).toBe('grades_locked');
      expect(await grades([a!])).toEqual([{ enrolment_id: a, score: 55, passed: null, version: 1 }]);

      const page = await openGrid(staff, sectionId);
      expect(page.html).toContain('data-locked');
      expect(page.html).toMatch(new RegExp(`name="score\\[${a}\\]"[^>]*disabled`));

      const lockAgain = await staff
        .post(`/sections/${sectionId}/grades/lock`)
        .set('Accept', 'application/json')
        .set('X-CSRF-Token', page.token)
        .send({});
      expect(lockAgain.status).toBe(200);
      expect(lockAgain.body.data.changed).toBe(false);
      expect(
        await t.db('audit_log').where({ entity: 'section', entity_id: String(sectionId), action: 'lock_grades' }),
      ).toHaveLength(1);
    });

    it('warns how many students have no grade yet, beside the lock button and in its confirmation; locking stays allowed', async () => {
      const {
        sectionId,
        enrolmentIds: [a, b, c],
      } = await sectionWithStudents(t.db, studentIds, { course: { name: 'Empty cells' } });
      await insertGrade(t.db, a!, { score: 70 });
      // A cell saved empty is no grade either.
      await insertGrade(t.db, b!, { score: null });
      const { token, html } = await openGrid(staff, sectionId);
      const note = 'students have no grade yet. Once the grades are locked, their cells stay empty';
      expect(html).toMatch(new RegExp(`<p class="flash flash-info" id="lock-empty" data-empty-cells="2">2 ${note}`));
      expect(html).toContain('aria-describedby="lock-empty"');
      const section = await t.db('sections').where({ id: sectionId }).first('section_no');
      expect(html).toContain(
        `data-confirm="2 students have no grade yet. Publish the grades of Empty cells (${section.section_no}) to its students anyway?`,
      );

      const zh = (await staff.get(`/sections/${sectionId}/grades?lang=zh-CN`).set('Accept', 'text/html')).text;
      expect(zh).toContain('2 名学生尚无成绩。');
      await staff.get(`/sections/${sectionId}/grades?lang=en`).set('Accept', 'text/html'); // the choice sticks: back to English

      const lock = await staff
        .post(`/sections/${sectionId}/grades/lock`)
        .type('form')
        .set('Accept', 'text/html')
        .send({ _csrf: token });
      expect(lock.status).toBe(302);
      expect((await t.db('sections').where({ id: sectionId }).first()).grades_locked_at).not.toBeNull();
      expect(await grades([a!, b!, c!])).toEqual([
        { enrolment_id: a, score: 70, passed: null, version: 1 },
        { enrolment_id: b, score: null, passed: null, version: 1 },
      ]);
    });

    it('says nothing of empty cells when every student has a grade', async () => {
      const {
        sectionId,
        enrolmentIds: [a],
      } = await sectionWithStudents(t.db, [studentIds[0]!]);
      await insertGrade(t.db, a!, { score: 91 });
      const { html } = await openGrid(staff, sectionId);
      expect(html).not.toContain('data-empty-cells');
      expect(html).toContain('data-confirm="Publish the grades of');
    });
  });
});

describe('who may open the grade grid', () => {
  let t: TestApp;
  const agents: Record<string, Agent> = {};
  let sectionId: number;
  let enrolmentId: number;

  beforeAll(async () => {
    t = await buildTestApp();
    const own = await createStudent(t.db);
    const section = await sectionWithStudents(t.db, [own.id]);
    sectionId = section.sectionId;
    enrolmentId = section.enrolmentIds[0]!;
    agents.student = await signIn(t.app, await createUser(t.db, 'student', { studentId: own.id }));
    agents.staff = await signIn(t.app, await createUser(t.db, 'staff'));
    agents.admin = await signIn(t.app, await createUser(t.db, 'admin'));
  });
  afterAll(() => t.close());

  const ROUTES = [
    { name: 'GET /sections/:id/grades', method: 'GET', path: () => `/sections/${sectionId}/grades`, ok: 200 },
    { name: 'POST /sections/:id/grades', method: 'POST', path: () => `/sections/${sectionId}/grades`, ok: 200 },
    {
      name: 'POST /sections/:id/grades/lock',
      method: 'POST',
      path: () => `/sections/${sectionId}/grades/lock`,
      ok: 200,
    },
  ] as const;

  describe.each(ROUTES)('$name', (route) => {
    const send = async (agent: Agent | undefined, format: 'html' | 'json') => {
      const client = agent ?? (await import('supertest')).default(t.app);
      const accept = format === 'json' ? 'application/json' : 'text/html';
      if (route.method === 'GET') return client.get(route.path()).set('Accept', accept);
      const token = agent ? await csrfToken(agent, '/account/password') : '';
      return client
        .post(route.path())
        .set('Accept', accept)
        .set('X-CSRF-Token', token)
        .send({ [`score[${enrolmentId}]`]: '', [`version[${enrolmentId}]`]: '0' });
    };

    it('anonymous: HTML goes to /login (or is refused without a CSRF token), JSON gets 401 (or 403)', async () => {
      const html = await send(undefined, 'html');
      const json = await send(undefined, 'json');
      if (route.method === 'GET') {
        expect(html.status).toBe(302);
        expect(html.headers.location).toBe('/login');
        expect(json.status).toBe(401);
      } else {
        expect(html.status).toBe(403);
        expect(json.status).toBe(403);
        expect(json.body.error.code).toBe('csrf_invalid');
      }
    });

    it.each(['html', 'json'] as const)('a student gets 403 (%s)', async (format) => {
      const res = await send(agents.student, format);
      expect(res.status).toBe(403);
      if (format === 'json') expect(res.body.error.code).toBe('forbidden');
    });

    it.each(['staff', 'admin'])('%s may (JSON)', async (role) => {
      const res = await send(agents[role], 'json');
      expect(res.status).toBe(route.ok);
      expect(res.body.data).toBeDefined();
    });
  });
});
