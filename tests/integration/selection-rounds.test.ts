// Course selection in rounds: a term's window can differ per enrolment year (年级); staff keep the rounds on
// the term's page, each student selects in their own year's window (else the term's), staff override.
import request from 'supertest';
import { sqlNow } from '../../src/lib/time';
import { createSection, createStudent, createTerm, createUser } from '../helpers/factories';
import { enrolJson, signedInStudent, tokenFor } from '../helpers/selection';
import { type Agent, csrfToken, postForm, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

const HOUR = 3_600_000;
const at = (offsetMs: number) => sqlNow(Date.now() + offsetMs);

describe('selection rounds per enrolment year', () => {
  let t: TestApp;
  let staff: Agent;

  beforeAll(async () => {
    t = await buildTestApp();
    staff = await signIn(t.app, await createUser(t.db, 'staff'));
  });
  afterAll(() => t.close());

  const rounds = (termId: number) => t.db('term_selection_rounds').where({ term_id: termId }).orderBy('enrolment_year');
  const roundAudits = async () =>
    Number((await t.db('audit_log').where({ entity: 'term_selection_round' }).count({ n: '*' }).first())!.n);
  async function addRoundJson(termId: number, body: Record<string, unknown>) {
    const token = await tokenFor(staff);
    return staff
      .post(`/terms/${termId}/rounds`)
      .set('Accept', 'application/json')
      .set('X-CSRF-Token', token)
      .send(body);
  }

  it('staff add a round on the term page: typed on the university clock, stored in UTC, audited, listed', async () => {
    const { id } = await createTerm(t.db);
    const res = await postForm(staff, `/terms/${id}/rounds`, {
      enrolment_year: '2025',
      opens_at: '2026-08-25T09:00',
      closes_at: '2026-08-27T17:00',
    });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`/terms/${id}`);
    const [row] = await rounds(id);
    expect(row).toMatchObject({ enrolment_year: 2025 });
    expect(String(row.opens_at)).toContain('2026-08-25 01:00:00'); // Asia/Shanghai is UTC+8
    expect(String(row.closes_at)).toContain('2026-08-27 09:00:00');
    const audit = await t.db('audit_log').where({ entity: 'term_selection_round', entity_id: String(row.id) });
    expect(audit.map((a) => a.action)).toEqual(['create']);
    const page = await staff.get(`/terms/${id}`);
    expect(page.text).toContain('data-round-year="2025"');
    expect(page.text).toContain('Selection rounds by enrolment year');
    const json = await staff.get(`/terms/${id}/rounds`).set('Accept', 'application/json');
    expect(json.body.data).toEqual([
      expect.objectContaining({ enrolment_year: 2025, opens_at: '2026-08-25 01:00:00' }),
    ]);
  });

  it.each([
    [
      'opens after it closes',
      { enrolment_year: '2025', opens_at: '2026-08-27T09:00', closes_at: '2026-08-25T09:00' },
      'closes_at',
      'Course selection must close after it opens.',
    ],
    [
      'a year after the term',
      { enrolment_year: '2027', opens_at: '2026-08-25T09:00', closes_at: '2026-08-27T09:00' },
      'enrolment_year',
      'Enter an enrolment year from eight years before',
    ],
    [
      'a year far before the term',
      { enrolment_year: '2010', opens_at: '2026-08-25T09:00', closes_at: '2026-08-27T09:00' },
      'enrolment_year',
      'Enter an enrolment year from eight years before',
    ],
    ['without times', { enrolment_year: '2025', opens_at: '', closes_at: '' }, 'opens_at', 'This field is required.'],
    [
      'an unreadable time',
      { enrolment_year: '2025', opens_at: 'soon', closes_at: '2026-08-27T09:00' },
      'opens_at',
      'Enter the date and time',
    ],
  ])(
    'refuses a round (%s): 422 with the field message, the typed values kept, nothing written',
    async (_what, body, field, message) => {
      const { id } = await createTerm(t.db);
      const audits = await roundAudits();
      const res = await postForm(staff, `/terms/${id}/rounds`, body);
      expect(res.status).toBe(422);
      expect(res.text).toContain(message);
      expect(res.text).toContain(`id="f-${field}-error"`);
      expect(res.text).toContain(`value="${body.enrolment_year}"`);
      expect(await rounds(id)).toHaveLength(0);
      expect(await roundAudits()).toBe(audits);
    },
  );

  it('refuses a second round for the same year (422 on enrolment_year, JSON too), keeping the first', async () => {
    const { id } = await createTerm(t.db);
    const body = { enrolment_year: 2024, opens_at: '2026-08-20T00:00:00Z', closes_at: '2026-08-22T00:00:00Z' };
    expect((await addRoundJson(id, body)).status).toBe(201);
    const audits = await roundAudits();
    const again = await addRoundJson(id, { ...body, opens_at: '2026-08-21T00:00:00Z' });
    expect(again.status).toBe(422);
    expect(again.body.error.fields.enrolment_year).toBe('This enrolment year already has a round in this term.');
    const stored = await rounds(id);
    expect(stored).toHaveLength(1);
    expect(String(stored[0].opens_at)).toContain('2026-08-20 00:00:00');
    expect(await roundAudits()).toBe(audits);
  });

  it('two staff adding the same year at once: exactly one round, the other a 422 on enrolment_year', async () => {
    const { id } = await createTerm(t.db);
    const other = await signIn(t.app, await createUser(t.db, 'admin'));
    const send = async (agent: Agent, opens: string) => {
      const token = await tokenFor(agent);
      return agent
        .post(`/terms/${id}/rounds`)
        .set('Accept', 'application/json')
        .set('X-CSRF-Token', token)
        .send({ enrolment_year: 2025, opens_at: opens, closes_at: '2026-08-29T00:00:00Z' });
    };
    const answers = await Promise.all([
      send(staff, '2026-08-20T00:00:00Z'),
      send(other, '2026-08-21T00:00:00Z'),
      send(staff, '2026-08-22T00:00:00Z'),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 422, 422]);
    for (const r of answers.filter((a) => a.status === 422))
      expect(r.body.error.fields.enrolment_year).toBe('This enrolment year already has a round in this term.');
    expect(await rounds(id)).toHaveLength(1);
  });

  it('is for staff and admins only: a student gets 403 and nothing is written', async () => {
    const { id } = await createTerm(t.db);
    const { agent, token } = await signedInStudent(t.app, t.db);
    const res = await agent
      .post(`/terms/${id}/rounds`)
      .set('Accept', 'application/json')
      .set('X-CSRF-Token', token)
      .send({ enrolment_year: 2025, opens_at: '2026-08-20T00:00:00Z', closes_at: '2026-08-22T00:00:00Z' });
    expect(res.status).toBe(403);
    expect(await rounds(id)).toHaveLength(0);
    const noToken = await request(t.app).post(`/terms/${id}/rounds`).type('form').send({ enrolment_year: '2025' });
    expect([302, 403]).toContain(noToken.status);
  });

  describe("enrolment follows the student's own window", () => {
    let termId: number;
    let sectionId: number;

    beforeAll(async () => {
      // The term's own window is open; 2024's round closed an hour ago; 2023's round is open.
      termId = (await createTerm(t.db, { current: true })).id;
      sectionId = (await createSection(t.db, { termId })).id;
      await t.db('term_selection_rounds').insert([
        { term_id: termId, enrolment_year: 2024, opens_at: at(-48 * HOUR), closes_at: at(-HOUR) },
        { term_id: termId, enrolment_year: 2023, opens_at: at(-HOUR), closes_at: at(24 * HOUR) },
      ]);
    });

    it("refuses a student whose year's round has closed, while the term's window is open (422 selection_closed)", async () => {
      const s = await signedInStudent(t.app, t.db, { enrolment_year: 2024 });
      const res = await enrolJson(s.agent, s.token, sectionId);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('selection_closed');
      expect(await t.db('enrolments').where({ student_id: s.row.id })).toHaveLength(0);
      const page = await s.agent.get(`/sections?term=${termId}`);
      expect(page.text).toContain('data-selection="closed"');
      const me = await s.agent.get('/me').set('Accept', 'application/json');
      expect(me.body.data.selection).toMatchObject({ state: 'closed' });
    });

    it("lets a year without a round select in the term's own window", async () => {
      const s = await signedInStudent(t.app, t.db, { enrolment_year: 2025 });
      expect((await enrolJson(s.agent, s.token, sectionId)).status).toBe(201);
      const page = await s.agent.get(`/sections?term=${termId}`);
      expect(page.text).toContain('data-selection="open"');
    });

    it("lets a year whose round is open select even when the term's own window has closed", async () => {
      const { id: closedTerm } = await createTerm(t.db, {
        selection_opens_at: at(-48 * HOUR),
        selection_closes_at: at(-HOUR),
      });
      const section = await createSection(t.db, { termId: closedTerm });
      await t
        .db('term_selection_rounds')
        .insert({ term_id: closedTerm, enrolment_year: 2023, opens_at: at(-HOUR), closes_at: at(HOUR) });
      const early = await signedInStudent(t.app, t.db, { enrolment_year: 2023 });
      expect((await enrolJson(early.agent, early.token, section.id)).status).toBe(201);
      const other = await signedInStudent(t.app, t.db, { enrolment_year: 2025 });
      expect((await enrolJson(other.agent, other.token, section.id)).body.error.code).toBe('selection_closed');
    });

    it("staff still enrol a student outside the student's window, and the place records the override", async () => {
      const student = await createStudent(t.db, { enrolment_year: 2024 });
      const token = await csrfToken(staff, '/account/password');
      const res = await staff
        .post(`/sections/${sectionId}/enrolments`)
        .set('Accept', 'application/json')
        .set('X-CSRF-Token', token)
        .send({ student_id: student.id });
      expect(res.status).toBe(201);
      const row = await t.db('enrolments').where({ student_id: student.id, section_id: sectionId }).first();
      expect(Boolean(row.window_override)).toBe(true);
    });

    it("removing the round puts the year back on the term's window", async () => {
      const s = await signedInStudent(t.app, t.db, { enrolment_year: 2024 });
      const round = await t.db('term_selection_rounds').where({ term_id: termId, enrolment_year: 2024 }).first();
      const res = await postForm(staff, `/terms/${termId}/rounds/${round.id}/delete`, {});
      expect(res.status).toBe(302);
      expect(await t.db('term_selection_rounds').where({ id: round.id })).toHaveLength(0);
      const audit = await t.db('audit_log').where({ entity: 'term_selection_round', entity_id: String(round.id) });
      expect(audit.map((a) => a.action)).toContain('delete');
      expect((await enrolJson(s.agent, s.token, sectionId)).status).toBe(201);
    });
  });
});
