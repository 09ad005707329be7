// Terms: staff set them up with dates and a course-selection window, and make exactly one current.
import type { Response } from 'supertest';
import request from 'supertest';
import { AuditRepository } from '../../src/audit/audit.repository';
import { utcToWallTime } from '../../src/lib/time';
import { TermsService } from '../../src/terms/terms.service';
import {
  createStudent,
  createTerm,
  createUser,
  freeTerm,
  termForm,
  type TermOverrides,
  type TestUser,
} from '../helpers/factories';
import { type Agent, csrfToken, postForm, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

describe('terms', () => {
  let t: TestApp;
  let staffUser: TestUser;
  let staff: Agent;
  let admin: Agent;
  let student: Agent;
  let service: TermsService;
  /** A term in a year of its own, valid as the terms form reads it. */
  const newTerm = async (overrides: TermOverrides = {}) => (await createTerm(t.db, { ...freeTerm(), ...overrides })).id;

  beforeAll(async () => {
    t = await buildTestApp();
    service = new TermsService(t.db, new AuditRepository(t.db, 'test-node'));
    staffUser = await createUser(t.db, 'staff');
    staff = await signIn(t.app, staffUser);
    admin = await signIn(t.app, await createUser(t.db, 'admin'));
    const own = await createStudent(t.db);
    student = await signIn(t.app, await createUser(t.db, 'student', { studentId: own.id }));
  });
  afterAll(() => t.close());

  async function postJson(agent: Agent, path: string, body: Record<string, unknown> = {}): Promise<Response> {
    const token = await csrfToken(agent, '/account/password');
    return agent.post(path).set('Accept', 'application/json').set('X-CSRF-Token', token).send(body);
  }
  const count = async () => Number((await t.db('terms').count({ n: '*' }).first())!.n);
  const currentIds = async () => (await t.db('terms').where({ current_marker: 1 }).select('id')).map((r) => r.id);

  it('creates a term from the form: the window typed in Beijing time is stored in UTC', async () => {
    const form = termForm();
    const y = year(form);
    form.selection_opens_at = `${y}-09-01T09:00`;
    form.selection_closes_at = `${y}-09-10T07:30`;
    const res = await postForm(staff, '/terms', form);
    expect(res.status).toBe(302);
    const id = Number(/^\/terms\/(\d+)$/.exec(res.headers.location!)?.[1]);
    const row = await t.db('terms').where({ id }).first();
    expect(row).toMatchObject({
      code: form.code,
      academic_year: form.academic_year,
      semester: 1,
      starts_on: form.starts_on,
      ends_on: form.ends_on,
      selection_opens_at: `${y}-09-01 01:00:00`,
      selection_closes_at: `${y}-09-09 23:30:00`,
      current_marker: null,
      version: 1,
    });
    const edit = await staff.get(`/terms/${id}/edit`).set('Accept', 'text/html');
    expect(edit.text).toContain(`value="${y}-09-01T09:00"`);
    expect(edit.text).toContain(`value="${y}-09-10T07:30"`);
    expect(edit.text).toContain('Course selection opens (Beijing time)');
    expect(edit.text).not.toContain('(UTC)');
    const json = await staff.get(`/terms/${id}`).set('Accept', 'application/json');
    expect(json.body.data).toMatchObject({
      selection_opens_at: `${y}-09-01 01:00:00`,
      selection_closes_at: `${y}-09-09 23:30:00`,
    });
    const show = await staff.get(`/terms/${id}`).set('Accept', 'text/html');
    expect(show.text).toMatch(new RegExp(`<time datetime="${y}-09-01T01:00:00Z"[^>]*>[^<]*09:00</time>`));
    const zh = await staff.get(`/terms/${id}/edit?lang=zh-CN`).set('Accept', 'text/html');
    expect(zh.text).toContain('选课开始时间（北京时间）');
    expect(zh.text).toContain('选课结束时间（北京时间）');
    await staff.get('/terms?lang=en').set('Accept', 'text/html'); // the language sticks: back to English
    const audit = await t
      .db('audit_log')
      .where({ entity: 'term', entity_id: String(id) })
      .select('action');
    expect(audit).toEqual([{ action: 'create' }]);
  });

  it('takes JSON window times with an offset as that instant, and without one as UTC, as before', async () => {
    const withOffset = termForm();
    const y = year(withOffset);
    withOffset.selection_opens_at = `${y}-09-01T09:00:00+08:00`;
    withOffset.selection_closes_at = `${y}-09-10T10:00:00Z`;
    const a = await postJson(staff, '/terms', withOffset);
    expect(a.status).toBe(201);
    expect(a.body.data).toMatchObject({
      selection_opens_at: `${y}-09-01 01:00:00`,
      selection_closes_at: `${y}-09-10 10:00:00`,
    });
    const plain = termForm();
    const z = year(plain);
    plain.selection_opens_at = `${z}-09-01T09:00`;
    plain.selection_closes_at = `${z}-09-10 18:00:00`;
    const b = await postJson(staff, '/terms', plain);
    expect(b.status).toBe(201);
    const row = await t.db('terms').where({ id: b.body.data.id }).first();
    expect(row).toMatchObject({
      selection_opens_at: `${z}-09-01 09:00:00`,
      selection_closes_at: `${z}-09-10 18:00:00`,
    });
  });

  it('ends the term on midnight Beijing time of its last day, not UTC', async () => {
    const form = termForm();
    const next = year(form) + 1;
    // 23:30 on the last day in Beijing is 15:30 UTC: still inside the term.
    const late = await postForm(staff, '/terms', { ...form, selection_closes_at: `${next}-01-20T23:30` });
    expect(late.status).toBe(302);
    // 20:00 UTC on the last day is already 04:00 the next morning in Beijing.
    const after = termForm();
    const json = await postJson(staff, '/terms', {
      ...after,
      selection_closes_at: `${year(after) + 1}-01-20 20:00:00`,
    });
    expect(json.status).toBe(422);
    expect(json.body.error.fields.selection_closes_at).toContain('Course selection must close by the last day');
    // Half a year before the start counts from midnight Beijing time too: 16:00 UTC the day before.
    const dayBefore = (y: number) =>
      new Date(Date.parse(`${y}-09-01T00:00:00Z`) - 184 * 86_400_000).toISOString().slice(0, 10);
    const early = termForm();
    const ok = await postJson(staff, '/terms', { ...early, selection_opens_at: `${dayBefore(year(early))} 16:00:00` });
    expect(ok.status).toBe(201);
    const earlier = termForm();
    const typed = await postForm(staff, '/terms', {
      ...earlier,
      selection_opens_at: `${dayBefore(year(earlier))}T23:59`,
    });
    expect(typed.status).toBe(422);
    expect(typed.text).toContain('Course selection may open at most about six months');
    expect(typed.text).toContain(`value="${dayBefore(year(earlier))}T23:59"`);
  });

  it('answers JSON, lists with a search, and accepts a term without a window', async () => {
    const form = termForm({ selection_opens_at: '', selection_closes_at: '' });
    const res = await postJson(staff, '/terms', form);
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ code: form.code, current: false, selection_opens_at: null, version: 1 });
    const list = await staff.get('/terms').query({ q: form.code }).set('Accept', 'application/json');
    expect(list.body.data.map((d: { id: number }) => d.id)).toEqual([res.body.data.id]);
    expect(list.body.meta.total).toBe(1);
  });

  const year = (f: Record<string, string>) => Number(f.academic_year!.slice(0, 4));
  const CASES: [string, (f: Record<string, string>) => Record<string, string>, string, string][] = [
    ['a bad code', () => ({ code: '2026-1' }), 'code', 'Use the form 2026-2027-1'],
    [
      'a code not matching year and semester',
      (f) => ({ semester: '2', code: f.code! }),
      'code',
      'The code must be the academic year followed by the semester',
    ],
    [
      'non-consecutive years',
      (f) => ({ academic_year: `${year(f)}-${year(f) + 2}` }),
      'academic_year',
      'Use two consecutive years',
    ],
    ['semester 4', () => ({ semester: '4' }), 'semester', 'The semester must be 1, 2 or 3.'],
    ['a missing name', () => ({ name: '' }), 'name', 'This field is required.'],
    ['a missing start', () => ({ starts_on: '' }), 'starts_on', 'This field is required.'],
    ['an impossible date', (f) => ({ ends_on: `${year(f) + 1}-02-30` }), 'ends_on', 'This date does not exist.'],
    [
      'an end before the start',
      (f) => ({ ends_on: `${year(f)}-08-01` }),
      'ends_on',
      'The term must end after it starts.',
    ],
    [
      'a term over a year',
      (f) => ({ ends_on: `${year(f) + 2}-01-01` }),
      'ends_on',
      'A term cannot last more than a year.',
    ],
    [
      'a malformed window time',
      () => ({ selection_opens_at: 'tomorrow' }),
      'selection_opens_at',
      'Enter the date and time as YYYY-MM-DD HH:MM.',
    ],
    [
      'only an opening time',
      () => ({ selection_closes_at: '' }),
      'selection_closes_at',
      'Give both the opening and the closing time',
    ],
    [
      'a window closing before it opens',
      (f) => ({ selection_closes_at: `${year(f)}-08-19T08:00` }),
      'selection_closes_at',
      'Course selection must close after it opens.',
    ],
    [
      'a window closing after the term',
      (f) => ({ selection_closes_at: `${year(f) + 1}-02-01T00:00` }),
      'selection_closes_at',
      'Course selection must close by the last day of the term.',
    ],
    [
      'a window opening far too early',
      (f) => ({ selection_opens_at: `${year(f) - 1}-01-01T00:00` }),
      'selection_opens_at',
      'Course selection may open at most about six months',
    ],
  ];

  it.each(CASES)('refuses %s as a field error and writes nothing', async (_name, change, field, message) => {
    const base = termForm();
    const body = { ...base, ...change(base) };
    const before = await count();
    const html = await postForm(staff, '/terms', body);
    expect(html.status).toBe(422);
    expect(html.text).toContain(`id="f-${field}-error"`);
    expect(html.text).toContain(message);
    const json = await postJson(staff, '/terms', body);
    expect(json.status).toBe(422);
    expect(json.body.error.fields[field]).toContain(message);
    expect(await count()).toBe(before);
  });

  it('gives a duplicate code as a field error', async () => {
    const form = termForm();
    expect((await postJson(staff, '/terms', form)).status).toBe(201);
    const before = await count();
    const again = await postJson(staff, '/terms', { ...form, name: 'Again' });
    expect(again.status).toBe(422);
    expect(again.body.error.fields).toEqual({ code: 'This term code is already used.' });
    expect(await count()).toBe(before);
  });

  it('saves an edit at the current version; a stale one is 409 and leaves the row untouched', async () => {
    const id = await newTerm();
    const row = await t.db('terms').where({ id }).first();
    const body = {
      code: row.code,
      academic_year: row.academic_year,
      semester: String(row.semester),
      name: 'Renamed term',
      starts_on: row.starts_on,
      ends_on: row.ends_on,
      selection_opens_at: row.selection_opens_at,
      selection_closes_at: row.selection_closes_at,
    };
    const ok = await postJson(staff, `/terms/${id}`, { ...body, version: 1 });
    expect(ok.status).toBe(200);
    expect(ok.body.data).toMatchObject({ name: 'Renamed term', version: 2 });
    const saved = await t.db('terms').where({ id }).first();
    const stale = await postJson(staff, `/terms/${id}`, { ...body, name: 'Mine', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.current).toMatchObject({ name: 'Renamed term', version: 2 });
    const staleHtml = await postForm(staff, `/terms/${id}`, { ...body, name: 'Mine', version: '1' });
    expect(staleHtml.status).toBe(409);
    expect(staleHtml.text).toContain('Someone else changed this record');
    // The conflict table shows the current window as the form does, on the university's clock.
    expect(staleHtml.text).toContain(`<td>${utcToWallTime(saved.selection_opens_at, 'Asia/Shanghai')}</td>`);
    expect(await t.db('terms').where({ id }).first()).toEqual(saved);
  });

  it('has no archive route: terms are kept', async () => {
    const id = await newTerm();
    expect((await postJson(staff, `/terms/${id}/delete`)).status).toBe(404);
    expect((await postJson(admin, `/terms/${id}/restore`)).status).toBe(404);
  });

  describe('the current term', () => {
    it('makes a term current, clearing the previous one, and audits the change', async () => {
      const first = await newTerm();
      const second = await newTerm();
      const a = await postForm(staff, `/terms/${first}/current`, {});
      expect(a.status).toBe(302);
      expect(a.headers.location).toBe(`/terms/${first}`);
      expect(await currentIds()).toEqual([first]);
      const page = await staff.get(`/terms/${first}`).set('Accept', 'text/html');
      expect(page.text).toContain('is now the current term.');
      expect(page.text).toContain('This is the current term.');

      const b = await postJson(admin, `/terms/${second}/current`);
      expect(b.status).toBe(200);
      expect(b.body.data).toMatchObject({ id: second, current: true });
      expect(await currentIds()).toEqual([second]);
      expect((await service.current())?.id).toBe(second);
      const audit = await t
        .db('audit_log')
        .where({ entity: 'term', action: 'make_current', entity_id: String(second) });
      expect(audit).toHaveLength(1);
      expect(JSON.parse(audit[0].before_json)).toMatchObject({ previous_current_id: first });

      const again = await postJson(staff, `/terms/${second}/current`);
      expect(again.status).toBe(200);
      expect(await currentIds()).toEqual([second]);
    });

    it('refuses students and anonymous visitors, and answers 404 for an unknown term', async () => {
      const id = await newTerm();
      const before = await currentIds();
      expect((await postJson(student, `/terms/${id}/current`)).status).toBe(403);
      expect((await request(t.app).post(`/terms/${id}/current`).set('Accept', 'application/json')).status).toBe(403);
      expect((await postJson(staff, '/terms/999999/current')).status).toBe(404);
      expect(await currentIds()).toEqual(before);
    });

    it('stays exactly one when requests make different terms current at the same time', async () => {
      const ids = [await newTerm(), await newTerm(), await newTerm()];
      for (let round = 0; round < 5; round++) {
        const order = round % 2 === 0 ? ids : [...ids].reverse();
        const results = await Promise.all(
          order.map((id, i) => postJson(i % 2 === 0 ? staff : admin, `/terms/${id}/current`)),
        );
        expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
        const current = await currentIds();
        expect(current).toHaveLength(1);
        expect(ids).toContain(current[0]);
      }
    });
  });

  describe('TermsService for other features', () => {
    it('returns the current term, or undefined when none is marked', async () => {
      await t.db('terms').update({ current_marker: null });
      expect(await service.current()).toBeUndefined();
      const id = await newTerm({ current: true });
      expect(await service.current()).toMatchObject({ id });
    });
  });

  describe('in another time zone', () => {
    let ny: TestApp;
    let nyStaff: Agent;
    beforeAll(async () => {
      ny = await buildTestApp({ env: { TIME_ZONE: 'America/New_York' } });
      nyStaff = await signIn(ny.app, await createUser(ny.db, 'staff'));
    });
    afterAll(() => ny.close());

    it('names the zone by its IANA id and reads the form on its clock, summer time included', async () => {
      const form = termForm();
      const y = year(form);
      const res = await postForm(nyStaff, '/terms', {
        ...form,
        selection_opens_at: `${y}-08-20T08:00`,
        selection_closes_at: `${y}-12-01T08:00`,
      });
      expect(res.status).toBe(302);
      const id = Number(/^\/terms\/(\d+)$/.exec(res.headers.location!)?.[1]);
      expect(await ny.db('terms').where({ id }).first()).toMatchObject({
        selection_opens_at: `${y}-08-20 12:00:00`,
        selection_closes_at: `${y}-12-01 13:00:00`,
      });
      const edit = await nyStaff.get(`/terms/${id}/edit`).set('Accept', 'text/html');
      expect(edit.text).toContain('Course selection opens (America/New_York)');
      expect(edit.text).toContain(`value="${y}-08-20T08:00"`);
      expect(edit.text).toContain(`value="${y}-12-01T08:00"`);
    });
  });
});
