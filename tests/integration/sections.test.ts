// Sections per term: staff create and edit them with their weekly meetings; everyone signed in sees
// the term's list with seats left and the waiting list, which students choose from.
import { up as normaliseSectionNumbers } from '../../migrations/20261227090000_normalise_section_numbers';
import type { Response } from 'supertest';
import request from 'supertest';
import catalogueEn from '../../src/i18n/locales/catalogue.en.json';
import en from '../../src/i18n/locales/en.json';
import { SectionsRepository } from '../../src/sections/sections.repository';
import {
  createCourse,
  createSection,
  createStaff,
  createStudent,
  createTerm,
  createUser,
  insertEnrolment,
} from '../helpers/factories';
import { type Agent, csrfToken, postForm, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

const cv = catalogueEn.catalogue.validation;
const v = en.validation;

function fieldError(html: string, name: string): string | undefined {
  const id = `f-${name}-error`.replace(/\./g, '\\.');
  const match = new RegExp(`<p class="field-error" id="${id}">([^<]*)</p>`).exec(html);
  return match?.[1]?.replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

describe('sections of a term', () => {
  let t: TestApp;
  let staff: Agent;
  let admin: Agent;
  let student: Agent;
  let current: { id: number; code: string };
  let other: { id: number; code: string };
  let teacher: { id: number };

  beforeAll(async () => {
    t = await buildTestApp();
    staff = await signIn(t.app, await createUser(t.db, 'staff'));
    admin = await signIn(t.app, await createUser(t.db, 'admin'));
    student = await signIn(t.app, await createUser(t.db, 'student'));
    other = await createTerm(t.db);
    current = await createTerm(t.db, { current: true });
    teacher = await createStaff(t.db, { name: '王老师' });
  });
  afterAll(() => t.close());

  async function postJson(agent: Agent, path: string, body: Record<string, unknown>): Promise<Response> {
    const token = await csrfToken(agent, '/account/password');
    return agent.post(path).set('Accept', 'application/json').set('X-CSRF-Token', token).send(body);
  }

  let seq = 0;
  async function validBody(overrides: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const course = await createCourse(t.db);
    return {
      course_id: course.id,
      term_id: current.id,
      section_no: `${++seq}`,
      teacher_staff_id: teacher.id,
      capacity: 40,
      room: 'A-101',
      status: 'open',
      meetings: [{ day_of_week: 1, start_period: 1, end_period: 2 }],
      ...overrides,
    };
  }

  /** The same body as the HTML form sends it: flat strings, meetings as `meetings.<i>.<part>`. */
  function asForm(body: Record<string, unknown>): Record<string, string> {
    const form: Record<string, string> = {};
    for (const [k, value] of Object.entries(body)) {
      if (k === 'meetings') {
        (value as Record<string, unknown>[]).forEach((m, i) => {
          for (const [part, x] of Object.entries(m)) form[`meetings.${i}.${part}`] = String(x);
        });
      } else if (value !== undefined) form[k] = value === null ? '' : String(value);
    }
    return form;
  }

  const sectionCount = async () => Number((await t.db('sections').count({ n: '*' }).first())!.n);
  const meetingsOf = async (id: number) =>
    (await new SectionsRepository(t.db).meetingsOf([id])).get(id)?.map((m) => ({ ...m })) ?? [];
  const sectionRow = (id: number) => t.db('sections').where({ id }).first();

  describe('creating', () => {
    it('saves a section and its meetings from the form, skipping blank meeting rows', async () => {
      const body = await validBody({ section_no: 'a1' });
      const form = {
        ...asForm(body),
        'meetings.0.day_of_week': '3',
        'meetings.0.start_period': '3',
        'meetings.0.end_period': '4',
        'meetings.1.day_of_week': '',
        'meetings.1.start_period': '',
        'meetings.1.end_period': '',
        'meetings.2.day_of_week': '5',
        'meetings.2.start_period': '1',
        'meetings.2.end_period': '2',
      };
      const res = await postForm(staff, '/sections', form);
      expect(res.status).toBe(302);
      const id = Number(/^\/sections\/(\d+)$/.exec(res.headers.location!)![1]);
      expect(await sectionRow(id)).toMatchObject({
        section_no: 'A1',
        capacity: 40,
        enrolled_count: 0,
        room: 'A-101',
        status: 'open',
        teacher_staff_id: teacher.id,
        version: 1,
      });
      expect(await meetingsOf(id)).toEqual([
        { day_of_week: 3, start_period: 3, end_period: 4 },
        { day_of_week: 5, start_period: 1, end_period: 2 },
      ]);
      expect(
        await t.db('audit_log').where({ entity: 'section', entity_id: String(id), action: 'create' }),
      ).toHaveLength(1);
      const page = await staff.get(`/sections/${id}`).set('Accept', 'text/html');
      expect(page.text).toContain(
        '<span class="meeting">Wed periods 3-4</span>; <span class="meeting">Fri periods 1-2</span>',
      );
    });

    it('answers JSON with 201 and the section', async () => {
      const body = await validBody();
      const res = await postJson(staff, '/sections', body);
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({
        course_id: body.course_id,
        term: current.code,
        capacity: 40,
        enrolled: 0,
        seats_left: 40,
        teacher: '王老师',
        meetings: body.meetings,
        version: 1,
      });
      expect(res.headers.location).toBe(`/sections/${res.body.data.id}`);
    });

    it('offers the form with the current term chosen and four meeting rows', async () => {
      const res = await staff.get('/sections/new').set('Accept', 'text/html');
      expect(res.status).toBe(200);
      expect(res.text).toContain(`<option value="${current.id}" selected>`);
      expect(res.text).toContain('name="meetings.3.end_period"');
    });
  });

  describe('refusing bad input, field by field', () => {
    const CASES: { title: string; change: Record<string, unknown>; field: string; message: string }[] = [
      { title: 'no course', change: { course_id: '' }, field: 'course_id', message: v.required },
      { title: 'an unknown course', change: { course_id: 99999999 }, field: 'course_id', message: cv.course_unknown },
      { title: 'no term', change: { term_id: undefined }, field: 'term_id', message: v.required },
      { title: 'an unknown term', change: { term_id: 99999999 }, field: 'term_id', message: cv.term_unknown },
      {
        title: 'an unknown teacher',
        change: { teacher_staff_id: 99999999 },
        field: 'teacher_staff_id',
        message: cv.teacher_unknown,
      },
      { title: 'no section number', change: { section_no: ' ' }, field: 'section_no', message: v.required },
      {
        title: 'a section number with a space',
        change: { section_no: 'A 1' },
        field: 'section_no',
        message: cv.section_no,
      },
      {
        title: 'a section number of 9 characters',
        change: { section_no: '123456789' },
        field: 'section_no',
        message: v.too_long,
      },
      { title: 'no capacity', change: { capacity: '' }, field: 'capacity', message: v.required },
      { title: 'a capacity of 0', change: { capacity: 0 }, field: 'capacity', message: cv.capacity },
      { title: 'a capacity of 1001', change: { capacity: 1001 }, field: 'capacity', message: cv.capacity },
      { title: 'a fractional capacity', change: { capacity: '2.5' }, field: 'capacity', message: v.integer },
      { title: 'a room of 33 characters', change: { room: 'r'.repeat(33) }, field: 'room', message: v.too_long },
      { title: 'an unknown status', change: { status: 'full' }, field: 'status', message: cv.section_status },
      { title: 'no meeting at all', change: { meetings: [] }, field: 'meetings', message: cv.meetings_required },
      {
        title: 'a day 8',
        change: { meetings: [{ day_of_week: 8, start_period: 1, end_period: 2 }] },
        field: 'meetings.0.day_of_week',
        message: cv.day_of_week,
      },
      {
        title: 'a day 0',
        change: { meetings: [{ day_of_week: 0, start_period: 1, end_period: 2 }] },
        field: 'meetings.0.day_of_week',
        message: cv.day_of_week,
      },
      {
        title: 'a start period 0',
        change: { meetings: [{ day_of_week: 1, start_period: 0, end_period: 2 }] },
        field: 'meetings.0.start_period',
        message: cv.period,
      },
      {
        title: 'an end period 13',
        change: { meetings: [{ day_of_week: 1, start_period: 1, end_period: 13 }] },
        field: 'meetings.0.end_period',
        message: cv.period,
      },
      {
        title: 'an end before the start',
        change: { meetings: [{ day_of_week: 2, start_period: 5, end_period: 4 }] },
        field: 'meetings.0.end_period',
        message: cv.period_order,
      },
      {
        title: 'a meeting row with only its day filled in (second row)',
        change: {
          meetings: [
            { day_of_week: 1, start_period: 1, end_period: 2 },
            { day_of_week: 3, start_period: '', end_period: '' },
          ],
        },
        field: 'meetings.1.start_period',
        message: v.required,
      },
      {
        title: 'two overlapping meetings on one day',
        change: {
          meetings: [
            { day_of_week: 4, start_period: 1, end_period: 3 },
            { day_of_week: 4, start_period: 3, end_period: 4 },
          ],
        },
        field: 'meetings',
        message: cv.meetings_overlap,
      },
    ];

    it.each(CASES)('$title: a JSON 422 naming the field, nothing written', async (c) => {
      const before = await sectionCount();
      const res = await postJson(staff, '/sections', await validBody(c.change));
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'validation_failed', fields: { [c.field]: c.message } });
      expect(await sectionCount()).toBe(before);
    });

    it.each(CASES)('$title: the form again with 422, the message and the entered values', async (c) => {
      const before = await sectionCount();
      const form = asForm(await validBody(c.change));
      const res = await postForm(staff, '/sections', form);
      expect(res.status).toBe(422);
      expect(fieldError(res.text, c.field)).toBe(c.message);
      if (form.room && form.room.length <= 32) expect(res.text).toContain(`value="${form.room}"`);
      expect(await sectionCount()).toBe(before);
    });

    it('writes a numeric section number one way: "1", "01" and "001" are the same section', async () => {
      const first = await validBody({ section_no: '1' });
      const created = await postJson(staff, '/sections', first);
      expect(created.status).toBe(201);
      expect((await sectionRow(created.body.data.id))?.section_no).toBe('01');
      const before = await sectionCount();
      for (const spelling of ['01', '001']) {
        const again = await postJson(staff, '/sections', { ...first, section_no: spelling });
        expect([spelling, again.status, again.body.error.fields]).toEqual([
          spelling,
          422,
          { section_no: cv.section_no_taken },
        ]);
      }
      expect(await sectionCount()).toBe(before);
      const twelve = await postJson(staff, '/sections', { ...first, section_no: '012' });
      expect((await sectionRow(twelve.body.data.id))?.section_no).toBe('12');
    });

    it('refuses a section number already used by the course in the term (any case), allows it in another term', async () => {
      const first = await validBody({ section_no: 'dup1' });
      expect((await postJson(staff, '/sections', first)).status).toBe(201);
      const before = await sectionCount();
      const again = await postJson(staff, '/sections', { ...first, section_no: 'DUP1' });
      expect(again.status).toBe(422);
      expect(again.body.error.fields).toEqual({ section_no: cv.section_no_taken });
      const html = await postForm(staff, '/sections', asForm({ ...first, section_no: 'Dup1' }));
      expect(html.status).toBe(422);
      expect(fieldError(html.text, 'section_no')).toBe(cv.section_no_taken);
      expect(await sectionCount()).toBe(before);
      expect((await postJson(staff, '/sections', { ...first, term_id: other.id })).status).toBe(201);
    });
  });

  describe('editing', () => {
    it('saves with the current version and replaces the meetings', async () => {
      const s = await createSection(t.db, {
        termId: current.id,
        meetings: [
          { day_of_week: 1, start_period: 1, end_period: 2 },
          { day_of_week: 3, start_period: 1, end_period: 2 },
        ],
      });
      const edit = await staff.get(`/sections/${s.id}/edit`).set('Accept', 'text/html');
      expect(edit.status).toBe(200);
      expect(edit.text).toContain('name="version" value="1"');
      expect(edit.text).toMatch(/name="meetings\.1\.day_of_week"[^>]*>[\s\S]*?<option value="3" selected>/);
      const body = {
        course_id: s.courseId,
        term_id: s.termId,
        section_no: s.sectionNo,
        capacity: 25,
        status: 'closed',
        meetings: [{ day_of_week: 2, start_period: 7, end_period: 8 }],
        version: 1,
      };
      const res = await postJson(staff, `/sections/${s.id}`, body);
      expect(res.status).toBe(200);
      expect(await sectionRow(s.id)).toMatchObject({ capacity: 25, status: 'closed', version: 2 });
      expect(await meetingsOf(s.id)).toEqual([{ day_of_week: 2, start_period: 7, end_period: 8 }]);
      const audit = await t.db('audit_log').where({ entity: 'section', entity_id: String(s.id), action: 'update' });
      expect(audit).toHaveLength(1);
      expect(JSON.parse(audit[0].before_json).meetings).toHaveLength(2);
    });

    it('refuses a stale version with 409, keeping section and meetings as they were', async () => {
      const meetings = [{ day_of_week: 5, start_period: 3, end_period: 4 }];
      const s = await createSection(t.db, { termId: current.id, capacity: 30, meetings });
      const base = { course_id: s.courseId, term_id: s.termId, section_no: s.sectionNo, status: 'open', version: 1 };
      expect((await postJson(staff, `/sections/${s.id}`, { ...base, capacity: 31, meetings })).status).toBe(200);
      const stale = await postJson(staff, `/sections/${s.id}`, {
        ...base,
        capacity: 99,
        meetings: [{ day_of_week: 6, start_period: 1, end_period: 1 }],
      });
      expect(stale.status).toBe(409);
      expect(stale.body.error.code).toBe('stale_version');
      expect(stale.body.error.current).toMatchObject({ capacity: 31, version: 2 });
      expect(await sectionRow(s.id)).toMatchObject({ capacity: 31, version: 2 });
      expect(await meetingsOf(s.id)).toEqual(meetings);

      const html = await postForm(staff, `/sections/${s.id}`, asForm({ ...base, capacity: 98, meetings }));
      expect(html.status).toBe(409);
      expect(html.text).toContain(en.conflict.title);
      expect(html.text).toContain('name="version" value="2"');
    });

    it('refuses a capacity below the students already enrolled as a field error', async () => {
      const s = await createSection(t.db, { termId: current.id, capacity: 5 });
      for (let i = 0; i < 3; i++) await insertEnrolment(t.db, s.id, (await createStudent(t.db)).id);
      const body = {
        course_id: s.courseId,
        term_id: s.termId,
        section_no: s.sectionNo,
        capacity: 2,
        meetings: [{ day_of_week: 1, start_period: 1, end_period: 1 }],
        version: 1,
      };
      const res = await postJson(staff, `/sections/${s.id}`, body);
      expect(res.status).toBe(422);
      expect(res.body.error.fields).toEqual({ capacity: cv.capacity_below_enrolled });
      const html = await postForm(staff, `/sections/${s.id}`, asForm(body));
      expect(html.status).toBe(422);
      expect(fieldError(html.text, 'capacity')).toBe(cv.capacity_below_enrolled);
      expect(await sectionRow(s.id)).toMatchObject({ capacity: 5, version: 1 });
      expect((await postJson(staff, `/sections/${s.id}`, { ...body, capacity: 3 })).status).toBe(200);
    });

    it('refuses moving a section with enrolments to another term', async () => {
      const s = await createSection(t.db, { termId: current.id });
      await insertEnrolment(t.db, s.id, (await createStudent(t.db)).id, 'waitlisted');
      const res = await postJson(staff, `/sections/${s.id}`, {
        course_id: s.courseId,
        term_id: other.id,
        section_no: s.sectionNo,
        capacity: 30,
        meetings: [{ day_of_week: 1, start_period: 1, end_period: 1 }],
        version: 1,
      });
      expect(res.status).toBe(422);
      expect(res.body.error.fields).toEqual({ term_id: cv.section_has_enrolments });
      expect(await sectionRow(s.id)).toMatchObject({ term_id: current.id, version: 1 });
    });

    it('replaces meetings in the same transaction: a failure while writing them leaves everything as it was', async () => {
      const meetings = [{ day_of_week: 2, start_period: 1, end_period: 2 }];
      const s = await createSection(t.db, { termId: current.id, capacity: 30, meetings });
      const original = SectionsRepository.prototype.replaceMeetings;
      const spy = jest.spyOn(SectionsRepository.prototype, 'replaceMeetings').mockImplementation(async function (
        this: SectionsRepository,
        id,
        rows,
        trx,
      ) {
        await original.call(this, id, rows, trx); // old rows deleted and new ones inserted...
        throw new Error('disk full'); // ...then the transaction fails
      });
      try {
        const res = await postJson(staff, `/sections/${s.id}`, {
          course_id: s.courseId,
          term_id: s.termId,
          section_no: s.sectionNo,
          capacity: 45,
          meetings: [{ day_of_week: 6, start_period: 9, end_period: 10 }],
          version: 1,
        });
        expect(res.status).toBe(500);
      } finally {
        spy.mockRestore();
      }
      expect(await sectionRow(s.id)).toMatchObject({ capacity: 30, version: 1 });
      expect(await meetingsOf(s.id)).toEqual(meetings);
      expect(await t.db('audit_log').where({ entity: 'section', entity_id: String(s.id) })).toHaveLength(0);
    });
  });

  describe('the list of a term', () => {
    let listTerm: { id: number; code: string };
    beforeAll(async () => {
      listTerm = await createTerm(t.db);
    });

    it('shows enrolled, seats left and the waiting list from the enrolment rows', async () => {
      const course = await createCourse(t.db, { name: 'Networks', credits: 2.5 });
      const s = await createSection(t.db, {
        termId: listTerm.id,
        courseId: course.id,
        capacity: 3,
        teacherStaffId: teacher.id,
        meetings: [{ day_of_week: 2, start_period: 3, end_period: 4 }],
      });
      const full = await createSection(t.db, { termId: listTerm.id, capacity: 1 });
      const empty = await createSection(t.db, { termId: listTerm.id, capacity: 10, status: 'closed' });
      const students = await Promise.all(Array.from({ length: 6 }, () => createStudent(t.db)));
      await insertEnrolment(t.db, s.id, students[0]!.id, 'enrolled');
      await insertEnrolment(t.db, s.id, students[1]!.id, 'enrolled');
      await insertEnrolment(t.db, s.id, students[2]!.id, 'dropped');
      await insertEnrolment(t.db, s.id, students[3]!.id, 'waitlisted');
      await insertEnrolment(t.db, s.id, students[4]!.id, 'waitlisted');
      await insertEnrolment(t.db, full.id, students[0]!.id, 'enrolled');
      await insertEnrolment(t.db, full.id, students[5]!.id, 'waitlisted');

      const res = await student.get('/sections').query({ term: listTerm.code }).set('Accept', 'application/json');
      expect(res.status).toBe(200);
      const byId = new Map((res.body.data as Record<string, unknown>[]).map((item) => [item.id, item]));
      expect(byId.size).toBe(3);
      expect(byId.get(s.id)).toEqual({
        id: s.id,
        course_id: course.id,
        course_code: course.code,
        course_name: 'Networks',
        course_name_en: null,
        credits: 2.5,
        term: listTerm.code,
        term_id: listTerm.id,
        section_no: s.sectionNo,
        teacher: '王老师',
        capacity: 3,
        enrolled: 2,
        seats_left: 1,
        waitlisted: 2,
        status: 'open',
        room: null,
        meetings: [{ day_of_week: 2, start_period: 3, end_period: 4 }],
      });
      expect(byId.get(full.id)).toMatchObject({ capacity: 1, enrolled: 1, seats_left: 0, waitlisted: 1 });
      expect(byId.get(empty.id)).toMatchObject({ enrolled: 0, seats_left: 10, waitlisted: 0, status: 'closed' });
      expect(res.body.meta).toMatchObject({ term: listTerm.code, total: 3 });

      const byTermId = await staff
        .get('/sections')
        .query({ term: String(listTerm.id) })
        .set('Accept', 'application/json');
      expect((byTermId.body.data as { id: number }[]).map((i) => i.id).sort()).toEqual(
        [s.id, full.id, empty.id].sort(),
      );

      const html = await student.get('/sections').query({ term: listTerm.code }).set('Accept', 'text/html');
      expect(html.status).toBe(200);
      expect(html.text).toContain('Tue periods 3-4');
      expect(html.text).toMatch(
        new RegExp(`data-section-id="${s.id}"[\\s\\S]*?data-seats-left>1<[\\s\\S]*?data-waitlisted>2<`),
      );
      expect(html.text).not.toContain(`/sections/${s.id}/edit`); // students get no staff actions
    });

    it('lists the current term when none is named, and leaves archived sections out', async () => {
      const mine = await createSection(t.db, { termId: current.id });
      const elsewhere = await createSection(t.db, { termId: other.id });
      const archived = await createSection(t.db, { termId: current.id });
      await t.db('sections').where({ id: archived.id }).update({ deleted_at: '2026-01-01 00:00:00' });
      const res = await staff.get('/sections').query({ size: '200' }).set('Accept', 'application/json');
      expect(res.body.meta.term).toBe(current.code);
      const ids = (res.body.data as { id: number }[]).map((i) => i.id);
      expect(ids).toContain(mine.id);
      expect(ids).not.toContain(elsewhere.id);
      expect(ids).not.toContain(archived.id);
    });

    it('searches by course code and name, and lists nothing for an unknown term', async () => {
      const course = await createCourse(t.db, { name: 'Quantum Widgets' });
      const s = await createSection(t.db, { termId: listTerm.id, courseId: course.id });
      const find = async (q: string) =>
        (
          (await staff.get('/sections').query({ term: listTerm.code, q }).set('Accept', 'application/json')).body
            .data as { id: number }[]
        ).map((i) => i.id);
      expect(await find('quantum widg')).toEqual([s.id]);
      expect(await find(course.code.toLowerCase())).toEqual([s.id]);
      const unknown = await staff.get('/sections').query({ term: 'NO-SUCH' }).set('Accept', 'application/json');
      expect(unknown.status).toBe(200);
      expect(unknown.body).toMatchObject({ data: [], meta: { term: null, total: 0 } });
    });
  });

  describe('archiving', () => {
    it('archives a section without students and refuses one with students enrolled', async () => {
      const s = await createSection(t.db, { termId: current.id });
      const res = await postJson(staff, `/sections/${s.id}/delete`, {});
      expect(res.status).toBe(200);
      expect(res.body.data.archived).toBe(true);
      expect((await sectionRow(s.id)).deleted_at).not.toBeNull();
      expect((await staff.get(`/sections/${s.id}/edit`).set('Accept', 'application/json')).status).toBe(409);

      const taken = await createSection(t.db, { termId: current.id });
      await insertEnrolment(t.db, taken.id, (await createStudent(t.db)).id);
      const refused = await postJson(staff, `/sections/${taken.id}/delete`, {});
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('section_has_enrolments');
      expect((await sectionRow(taken.id)).deleted_at).toBeNull();
    });
  });

  describe('who may do what', () => {
    const ROUTES: { name: string; method: 'GET' | 'POST'; path: (id: number) => string; students?: boolean }[] = [
      { name: 'GET /sections', method: 'GET', path: () => '/sections', students: true },
      { name: 'GET /sections/new', method: 'GET', path: () => '/sections/new' },
      { name: 'POST /sections', method: 'POST', path: () => '/sections' },
      { name: 'GET /sections/:id', method: 'GET', path: (id) => `/sections/${id}` },
      { name: 'GET /sections/:id/edit', method: 'GET', path: (id) => `/sections/${id}/edit` },
      { name: 'POST /sections/:id', method: 'POST', path: (id) => `/sections/${id}` },
      { name: 'POST /sections/:id/delete', method: 'POST', path: (id) => `/sections/${id}/delete` },
    ];

    it.each(ROUTES)('$name: anonymous users are turned away', async (route) => {
      const s = await createSection(t.db, { termId: current.id });
      if (route.method === 'GET') {
        const html = await request(t.app).get(route.path(s.id)).set('Accept', 'text/html');
        expect(html.status).toBe(302);
        expect(html.headers.location).toBe('/login');
        expect((await request(t.app).get(route.path(s.id)).set('Accept', 'application/json')).status).toBe(401);
      } else {
        const res = await request(t.app).post(route.path(s.id)).set('Accept', 'application/json').send({});
        expect(res.status).toBe(403);
      }
      expect(await sectionRow(s.id)).toMatchObject({ version: 1, deleted_at: null });
    });

    it.each(ROUTES)('$name: a student may only read the list', async (route) => {
      const s = await createSection(t.db, { termId: current.id });
      const before = await sectionCount();
      const res =
        route.method === 'GET'
          ? await student.get(route.path(s.id)).set('Accept', 'application/json')
          : await postJson(student, route.path(s.id), { ...(await validBody()), version: 1 });
      if (route.students) {
        expect(res.status).toBe(200);
      } else {
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
      }
      expect(await sectionCount()).toBe(before);
      expect(await sectionRow(s.id)).toMatchObject({ version: 1, deleted_at: null });
    });

    it.each(ROUTES.filter((r) => r.method === 'GET'))('$name: staff and admin may open it', async (route) => {
      const s = await createSection(t.db, { termId: current.id });
      for (const agent of [staff, admin]) {
        expect((await agent.get(route.path(s.id)).set('Accept', 'text/html')).status).toBe(200);
      }
    });
  });
});

describe('the section-number migration', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('rewrites numbers to two digits at least, and leaves both alone where that would make a duplicate', async () => {
    const first = await createSection(t.db, { sectionNo: '1' });
    const same = { courseId: first.courseId, termId: first.termId };
    const zeroOne = await createSection(t.db, { ...same, sectionNo: '01' });
    const two = await createSection(t.db, { ...same, sectionNo: '002' });
    const lettered = await createSection(t.db, { ...same, sectionNo: 'A3' });
    await normaliseSectionNumbers(t.db);
    const numbers = await t.db('sections').whereIn('id', [first.id, zeroOne.id, two.id, lettered.id]).orderBy('id');
    expect(numbers.map((r: { section_no: string }) => r.section_no)).toEqual(['1', '01', '02', 'A3']);
  });
});
