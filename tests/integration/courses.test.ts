// Staff keep the course catalogue: list/search, create, edit with a version, archive; admins restore.
import type { Response } from 'supertest';
import request from 'supertest';
import catalogueEn from '../../src/i18n/locales/catalogue.en.json';
import en from '../../src/i18n/locales/en.json';
import { createClass, createCourse, createUser } from '../helpers/factories';
import { type Agent, csrfToken, postForm, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

const cv = catalogueEn.catalogue.validation;
const v = en.validation;

let seq = 0;
const uniqueCode = () => `CS${process.pid % 1000}${String(++seq).padStart(3, '0')}`;

function courseForm(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const form: Record<string, string | undefined> = {
    code: uniqueCode(),
    name: '数据结构',
    credits: '3.5',
    department_id: '',
    description: 'Lists, trees and graphs.',
    grading: 'score',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(form).filter(([, value]) => value !== undefined)) as Record<string, string>;
}

function fieldError(html: string, name: string): string | undefined {
  const match = new RegExp(`<p class="field-error" id="f-${name}-error">([^<]*)</p>`).exec(html);
  return match?.[1]?.replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

describe('the course catalogue', () => {
  let t: TestApp;
  let staff: Agent;
  let admin: Agent;
  let student: Agent;

  beforeAll(async () => {
    t = await buildTestApp();
    staff = await signIn(t.app, await createUser(t.db, 'staff'));
    admin = await signIn(t.app, await createUser(t.db, 'admin'));
    student = await signIn(t.app, await createUser(t.db, 'student'));
  });
  afterAll(() => t.close());

  async function postJson(agent: Agent, path: string, body: Record<string, unknown>): Promise<Response> {
    const token = await csrfToken(agent, '/account/password');
    return agent.post(path).set('Accept', 'application/json').set('X-CSRF-Token', token).send(body);
  }

  const courseCount = async () => Number((await t.db('courses').count({ n: '*' }).first())!.n);
  const courseRow = (id: number) => t.db('courses').where({ id }).first();

  describe('creating', () => {
    it('saves a course from the form, upper-cases its code and audits the change', async () => {
      const form = courseForm({ code: `ab-${uniqueCode()}`.toLowerCase() });
      const res = await postForm(staff, '/courses', form);
      expect(res.status).toBe(302);
      const id = Number(/^\/courses\/(\d+)$/.exec(res.headers.location!)![1]);
      const row = await courseRow(id);
      expect(row).toMatchObject({ code: form.code!.toUpperCase(), name: '数据结构', grading: 'score', version: 1 });
      expect(Number(row.credits)).toBe(3.5);
      const audits = await t.db('audit_log').where({ entity: 'course', entity_id: String(id), action: 'create' });
      expect(audits).toHaveLength(1);
      const page = await staff.get(res.headers.location!).set('Accept', 'text/html');
      expect(page.text).toContain(`${form.name} was added.`);
    });

    it('answers JSON with 201, the course and its location', async () => {
      const { departmentId } = await createClass(t.db);
      const res = await postJson(staff, '/courses', {
        code: 'json-1' + seq++,
        name: 'Linear Algebra',
        credits: 4,
        department_id: departmentId,
        grading: 'pass_fail',
      });
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({
        name: 'Linear Algebra',
        credits: 4,
        department_id: departmentId,
        grading: 'pass_fail',
        version: 1,
        archived: false,
      });
      expect(res.body.data.code).toMatch(/^JSON-1\d+$/);
      expect(res.headers.location).toBe(`/courses/${res.body.data.id}`);
    });

    it('refuses a code already used, in another case, as a field error, and writes nothing', async () => {
      const existing = await createCourse(t.db, { code: uniqueCode() });
      const before = await courseCount();
      const res = await postJson(staff, '/courses', { ...courseForm(), code: existing.code.toLowerCase() });
      expect(res.status).toBe(422);
      expect(res.body.error.fields).toEqual({ code: cv.course_code_taken });
      expect(await courseCount()).toBe(before);

      const html = await postForm(staff, '/courses', courseForm({ code: existing.code }));
      expect(html.status).toBe(422);
      expect(fieldError(html.text, 'code')).toBe(cv.course_code_taken);
      expect(await courseCount()).toBe(before);
    });
  });

  describe('refusing bad input, field by field', () => {
    const CASES: { title: string; change: Record<string, string | undefined>; field: string; message: string }[] = [
      { title: 'a missing code', change: { code: undefined }, field: 'code', message: v.required },
      { title: 'a one-letter code', change: { code: 'A' }, field: 'code', message: cv.course_code },
      { title: 'a code with spaces', change: { code: 'CS 101' }, field: 'code', message: cv.course_code },
      { title: 'a code of 17 characters', change: { code: 'C'.repeat(17) }, field: 'code', message: v.too_long },
      { title: 'a missing name', change: { name: '  ' }, field: 'name', message: v.required },
      { title: 'a name of 101 characters', change: { name: 'n'.repeat(101) }, field: 'name', message: v.too_long },
      { title: 'missing credits', change: { credits: '' }, field: 'credits', message: v.required },
      { title: 'credits that are not a number', change: { credits: 'three' }, field: 'credits', message: cv.credits },
      { title: 'credits below 0.5', change: { credits: '0.4' }, field: 'credits', message: cv.credits },
      { title: 'credits above 20', change: { credits: '20.5' }, field: 'credits', message: cv.credits },
      { title: 'credits with two decimals', change: { credits: '2.25' }, field: 'credits', message: cv.credits_step },
      { title: 'an unknown grading', change: { grading: 'letters' }, field: 'grading', message: cv.grading },
      {
        title: 'a description of 2001 characters',
        change: { description: 'd'.repeat(2001) },
        field: 'description',
        message: v.too_long,
      },
      {
        title: 'a department id that is not a number',
        change: { department_id: 'x' },
        field: 'department_id',
        message: v.integer,
      },
      {
        title: 'a department that does not exist',
        change: { department_id: '999999' },
        field: 'department_id',
        message: cv.department_unknown,
      },
    ];

    it.each(CASES)('$title: the form again with 422, the message and the entered values', async (c) => {
      const before = await courseCount();
      const form = courseForm(c.change);
      const res = await postForm(staff, '/courses', form);
      expect(res.status).toBe(422);
      expect(fieldError(res.text, c.field)).toBe(c.message);
      if (form.name && form.name.length < 101) expect(res.text).toContain(`value="${form.name}"`);
      expect(await courseCount()).toBe(before);
    });

    it.each(CASES)('$title: a JSON 422 naming the field', async (c) => {
      const before = await courseCount();
      const res = await postJson(staff, '/courses', courseForm(c.change));
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'validation_failed', fields: { [c.field]: c.message } });
      expect(await courseCount()).toBe(before);
    });
  });

  describe('listing and searching', () => {
    it('finds courses by code prefix and by part of the name, and leaves archived ones out', async () => {
      const tag = `Q${process.pid % 1000}${++seq}`;
      const a = await createCourse(t.db, { code: `${tag}A`, name: 'Operating Systems' });
      const b = await createCourse(t.db, { code: `Z${tag}`, name: `Compilers ${tag.toLowerCase()}` });
      const gone = await createCourse(t.db, { code: `${tag}GONE`, name: 'Old course' });
      await t.db('courses').where({ id: gone.id }).update({ deleted_at: '2026-01-01 00:00:00' });

      const codes = async (query: Record<string, string>) => {
        const res = await staff.get('/courses').query(query).set('Accept', 'application/json');
        expect(res.status).toBe(200);
        return (res.body.data as { code: string }[]).map((c) => c.code).sort();
      };
      expect(await codes({ q: tag.toLowerCase() })).toEqual([a.code, b.code].sort());
      expect(await codes({ q: 'Operating Sys' })).toContain(a.code);
      expect(await codes({ q: tag, archived: '1' })).toEqual([gone.code]);

      const html = await staff.get('/courses').query({ q: tag }).set('Accept', 'text/html');
      expect(html.status).toBe(200);
      expect(html.text).toContain(a.code);
      expect(html.text).not.toContain(gone.code);
    });

    it('shows one course with its details as HTML and JSON, 404 for an unknown id', async () => {
      const c = await createCourse(t.db, { credits: 2.5, grading: 'pass_fail' });
      const json = await staff.get(`/courses/${c.id}`).set('Accept', 'application/json');
      expect(json.body.data).toMatchObject({ id: c.id, code: c.code, credits: 2.5, grading: 'pass_fail' });
      const html = await staff.get(`/courses/${c.id}`).set('Accept', 'text/html');
      expect(html.text).toContain(c.code);
      expect((await staff.get('/courses/99999999').set('Accept', 'application/json')).status).toBe(404);
      expect((await staff.get('/courses/abc').set('Accept', 'application/json')).status).toBe(404);
    });

    it('names its school (in the page language) and links to it; a course without one shows a dash', async () => {
      const klass = await createClass(t.db);
      await t.db('departments').where({ id: klass.departmentId }).update({ name_en: 'School of Testing' });
      const school = await t.db('departments').where({ id: klass.departmentId }).first('name');
      const c = await createCourse(t.db, { department_id: klass.departmentId });
      const cell = async (id: number, lang: string) =>
        /<dd data-department>([\s\S]*?)<\/dd>/.exec(
          (await staff.get(`/courses/${id}?lang=${lang}`).set('Accept', 'text/html')).text,
        )?.[1];
      expect(await cell(c.id, 'en')).toBe(`<a href="/departments/${klass.departmentId}">School of Testing</a>`);
      expect(await cell(c.id, 'zh-CN')).toBe(`<a href="/departments/${klass.departmentId}">${school.name}</a>`);
      expect(await cell((await createCourse(t.db)).id, 'en')).toBe('—');
    });
  });

  describe('editing', () => {
    it('saves an edit carrying the current version and bumps it', async () => {
      const c = await createCourse(t.db);
      const edit = await staff.get(`/courses/${c.id}/edit`).set('Accept', 'text/html');
      expect(edit.status).toBe(200);
      expect(edit.text).toContain('name="version" value="1"');
      const res = await postForm(
        staff,
        `/courses/${c.id}`,
        courseForm({ code: c.code, name: 'Renamed', version: '1' }),
      );
      expect(res.status).toBe(302);
      expect(await courseRow(c.id)).toMatchObject({ name: 'Renamed', version: 2 });
      const audits = await t.db('audit_log').where({ entity: 'course', entity_id: String(c.id), action: 'update' });
      expect(audits).toHaveLength(1);
    });

    it('refuses a stale version with 409 and the current row, writing nothing', async () => {
      const c = await createCourse(t.db);
      await postJson(staff, `/courses/${c.id}`, { ...courseForm({ code: c.code, name: 'First' }), version: 1 });
      const res = await postJson(staff, `/courses/${c.id}`, {
        ...courseForm({ code: c.code, name: 'Second' }),
        version: 1,
      });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('stale_version');
      expect(res.body.error.current).toMatchObject({ name: 'First', version: 2 });
      expect(await courseRow(c.id)).toMatchObject({ name: 'First', version: 2 });

      const html = await postForm(staff, `/courses/${c.id}`, courseForm({ code: c.code, name: 'Third', version: '1' }));
      expect(html.status).toBe(409);
      expect(html.text).toContain(en.conflict.title);
      expect(html.text).toContain('name="version" value="2"');
    });

    it('refuses an edit without a version, and a code taken by another course', async () => {
      const c = await createCourse(t.db);
      const other = await createCourse(t.db);
      const noVersion = await postJson(staff, `/courses/${c.id}`, courseForm({ code: c.code }));
      expect(noVersion.status).toBe(422);
      expect(noVersion.body.error.fields).toEqual({ version: v.version });
      const taken = await postJson(staff, `/courses/${c.id}`, { ...courseForm({ code: other.code }), version: 1 });
      expect(taken.status).toBe(422);
      expect(taken.body.error.fields).toEqual({ code: cv.course_code_taken });
      expect(await courseRow(c.id)).toMatchObject({ code: c.code, version: 1 });
    });
  });

  describe('archiving and restoring', () => {
    it('staff archive, archived courses cannot be edited, only an admin restores', async () => {
      const c = await createCourse(t.db);
      const archived = await postJson(staff, `/courses/${c.id}/delete`, {});
      expect(archived.status).toBe(200);
      expect(archived.body.data.archived).toBe(true);
      expect((await courseRow(c.id)).deleted_at).not.toBeNull();

      const again = await postJson(staff, `/courses/${c.id}/delete`, {});
      expect(again.status).toBe(200);
      expect(
        await t.db('audit_log').where({ entity: 'course', entity_id: String(c.id), action: 'archive' }),
      ).toHaveLength(1);

      expect((await staff.get(`/courses/${c.id}/edit`).set('Accept', 'application/json')).status).toBe(409);
      const edit = await postJson(staff, `/courses/${c.id}`, { ...courseForm({ code: c.code }), version: 2 });
      expect(edit.status).toBe(409);

      expect((await postJson(staff, `/courses/${c.id}/restore`, {})).status).toBe(403);
      const restored = await postJson(admin, `/courses/${c.id}/restore`, {});
      expect(restored.status).toBe(200);
      expect((await courseRow(c.id)).deleted_at).toBeNull();
    });
  });

  describe('who may do what', () => {
    const ROUTES: { name: string; method: 'GET' | 'POST'; path: (id: number) => string }[] = [
      { name: 'GET /courses', method: 'GET', path: () => '/courses' },
      { name: 'GET /courses/new', method: 'GET', path: () => '/courses/new' },
      { name: 'POST /courses', method: 'POST', path: () => '/courses' },
      { name: 'GET /courses/:id', method: 'GET', path: (id) => `/courses/${id}` },
      { name: 'GET /courses/:id/edit', method: 'GET', path: (id) => `/courses/${id}/edit` },
      { name: 'POST /courses/:id', method: 'POST', path: (id) => `/courses/${id}` },
      { name: 'POST /courses/:id/delete', method: 'POST', path: (id) => `/courses/${id}/delete` },
      { name: 'POST /courses/:id/restore', method: 'POST', path: (id) => `/courses/${id}/restore` },
    ];

    it.each(ROUTES)('$name: anonymous users are turned away', async (route) => {
      const c = await createCourse(t.db);
      if (route.method === 'GET') {
        const html = await request(t.app).get(route.path(c.id)).set('Accept', 'text/html');
        expect(html.status).toBe(302);
        expect(html.headers.location).toBe('/login');
        const json = await request(t.app).get(route.path(c.id)).set('Accept', 'application/json');
        expect(json.status).toBe(401);
      } else {
        // No session, so no CSRF token: refused before the role check, and nothing written.
        const res = await request(t.app).post(route.path(c.id)).set('Accept', 'application/json').send(courseForm());
        expect(res.status).toBe(403);
      }
      expect((await courseRow(c.id)).version).toBe(1);
    });

    it.each(ROUTES)('$name: a student gets 403 and nothing is written', async (route) => {
      const c = await createCourse(t.db);
      const before = await courseCount();
      const res =
        route.method === 'GET'
          ? await student.get(route.path(c.id)).set('Accept', 'application/json')
          : await postJson(student, route.path(c.id), { ...courseForm(), version: 1 });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect(await courseCount()).toBe(before);
      expect(await courseRow(c.id)).toMatchObject({ version: 1, deleted_at: null });
    });

    it.each(ROUTES.filter((r) => r.method === 'GET'))('$name: staff and admin may open it', async (route) => {
      const c = await createCourse(t.db);
      for (const agent of [staff, admin]) {
        expect((await agent.get(route.path(c.id)).set('Accept', 'text/html')).status).toBe(200);
      }
    });
  });
});
