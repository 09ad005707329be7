// Who may open what: every route against every kind of visitor, each cell its own test.
import request from 'supertest';
import type { Role } from '../../src/users/users.types';
import { StudentsRepository, type StudentRow } from '../../src/students/students.repository';
import { createSection, createStudent, createUser, insertEnrolment, studentForm } from '../helpers/factories';
import { type Agent, csrfToken, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

type Actor = 'anonymous' | Role;
type Format = 'html' | 'json';

/** The rows one cell works on: the signed-in student's own record and a fresh record to act upon. */
interface Fixture {
  own: StudentRow;
  row: StudentRow;
  /** A section whose roster and grades are exported. */
  sectionId: number;
}

interface Outcome {
  status: number;
  /** Where a 302 points, and how the test title names it. */
  location?: (f: Fixture) => string | RegExp;
  to?: string;
  /** The JSON error code, for a JSON error. */
  code?: string;
  /** Text the HTML page must contain. */
  text?: string;
  /** The file type of a download (an export). */
  contentType?: RegExp;
  /** A look at a successful JSON body. */
  data?: (data: Record<string, unknown>, f: Fixture) => void;
}

interface RouteCase {
  route: string;
  method: 'GET' | 'POST';
  path: (f: Fixture) => string;
  body?: (f: Fixture) => Record<string, string>;
  /** The record to act upon starts archived (restore). */
  archived?: boolean;
  html: Record<Actor, Outcome>;
  json: Record<Actor, Outcome>;
}

const FORBIDDEN_TEXT = 'Your account is not allowed to do this.';
const CSRF_TEXT = 'Your form expired or was not sent by this site.';

const ok: Outcome = { status: 200 };
const toLogin: Outcome = { status: 302, location: () => '/login', to: '/login' };
const unauthorized: Outcome = { status: 401, code: 'unauthorized' };
const forbiddenHtml: Outcome = { status: 403, text: FORBIDDEN_TEXT };
const forbiddenJson: Outcome = { status: 403, code: 'forbidden' };
// An anonymous POST carries no session, so it has no CSRF token: refused before any role check.
const csrfHtml: Outcome = { status: 403, text: CSRF_TEXT };
const csrfJson: Outcome = { status: 403, code: 'csrf_invalid' };

// An export is a file whatever the Accept header says.
const csvFile: Outcome = { status: 200, contentType: /^text\/csv; charset=utf-8$/ };
const xlsxFile: Outcome = {
  status: 200,
  contentType: /^application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet$/,
};

/** A download for staff and admins (students and sections) or for admins alone (the audit log). */
function exportCase(route: string, path: (f: Fixture) => string, adminOnly = false): RouteCase {
  const file = route.endsWith('.csv') ? csvFile : xlsxFile;
  return {
    route: `GET ${route}`,
    method: 'GET',
    path,
    html: { anonymous: toLogin, student: forbiddenHtml, staff: adminOnly ? forbiddenHtml : file, admin: file },
    json: { anonymous: unauthorized, student: forbiddenJson, staff: adminOnly ? forbiddenJson : file, admin: file },
  };
}

const redirect = (to: string, location: (f: Fixture) => string | RegExp): Outcome => ({ status: 302, location, to });

const editBody = (f: Fixture) =>
  studentForm({ student_no: f.row.student_no, name: `${f.row.name} (edited)`, version: '1' });

const ROUTES: RouteCase[] = [
  {
    route: 'GET /',
    method: 'GET',
    path: () => '/',
    html: { anonymous: toLogin, student: redirect('/me', () => '/me'), staff: ok, admin: ok },
    json: { anonymous: unauthorized, student: redirect('/me', () => '/me'), staff: ok, admin: ok },
  },
  {
    route: 'GET /me',
    method: 'GET',
    path: () => '/me',
    html: {
      anonymous: toLogin,
      student: { status: 200, text: 'My record' },
      staff: forbiddenHtml,
      admin: forbiddenHtml,
    },
    json: {
      anonymous: unauthorized,
      student: {
        status: 200,
        data: (data, f) => expect(data.student).toMatchObject({ id: f.own.id }),
      },
      staff: forbiddenJson,
      admin: forbiddenJson,
    },
  },
  {
    route: 'GET /account/password',
    method: 'GET',
    path: () => '/account/password',
    html: { anonymous: toLogin, student: ok, staff: ok, admin: ok },
    json: { anonymous: unauthorized, student: ok, staff: ok, admin: ok },
  },
  {
    route: 'GET /students',
    method: 'GET',
    path: () => '/students',
    html: { anonymous: toLogin, student: forbiddenHtml, staff: ok, admin: ok },
    json: {
      anonymous: unauthorized,
      student: forbiddenJson,
      staff: { status: 200, data: (data) => expect(Array.isArray(data)).toBe(true) },
      admin: { status: 200, data: (data) => expect(Array.isArray(data)).toBe(true) },
    },
  },
  {
    route: 'GET /students/new',
    method: 'GET',
    path: () => '/students/new',
    html: { anonymous: toLogin, student: forbiddenHtml, staff: ok, admin: ok },
    json: { anonymous: unauthorized, student: forbiddenJson, staff: ok, admin: ok },
  },
  {
    route: 'POST /students',
    method: 'POST',
    path: () => '/students',
    body: () => studentForm(),
    html: {
      anonymous: csrfHtml,
      student: forbiddenHtml,
      staff: redirect('/students/:newId', () => /^\/students\/\d+$/),
      admin: redirect('/students/:newId', () => /^\/students\/\d+$/),
    },
    json: {
      anonymous: csrfJson,
      student: forbiddenJson,
      staff: { status: 201, location: () => /^\/students\/\d+$/, data: (data) => expect(data.version).toBe(1) },
      admin: { status: 201, location: () => /^\/students\/\d+$/, data: (data) => expect(data.version).toBe(1) },
    },
  },
  {
    route: 'GET /students/:id',
    method: 'GET',
    path: (f) => `/students/${f.row.id}`,
    html: { anonymous: toLogin, student: forbiddenHtml, staff: ok, admin: ok },
    json: {
      anonymous: unauthorized,
      student: forbiddenJson,
      staff: { status: 200, data: (data, f) => expect(data.id).toBe(f.row.id) },
      admin: { status: 200, data: (data, f) => expect(data.id).toBe(f.row.id) },
    },
  },
  {
    route: 'GET /students/:id/edit',
    method: 'GET',
    path: (f) => `/students/${f.row.id}/edit`,
    html: { anonymous: toLogin, student: forbiddenHtml, staff: ok, admin: ok },
    json: { anonymous: unauthorized, student: forbiddenJson, staff: ok, admin: ok },
  },
  {
    route: 'POST /students/:id',
    method: 'POST',
    path: (f) => `/students/${f.row.id}`,
    body: editBody,
    html: {
      anonymous: csrfHtml,
      student: forbiddenHtml,
      staff: redirect('/students/:id', (f) => `/students/${f.row.id}`),
      admin: redirect('/students/:id', (f) => `/students/${f.row.id}`),
    },
    json: {
      anonymous: csrfJson,
      student: forbiddenJson,
      staff: { status: 200, data: (data) => expect(data.version).toBe(2) },
      admin: { status: 200, data: (data) => expect(data.version).toBe(2) },
    },
  },
  {
    route: 'POST /students/:id/delete',
    method: 'POST',
    path: (f) => `/students/${f.row.id}/delete`,
    html: {
      anonymous: csrfHtml,
      student: forbiddenHtml,
      staff: redirect('/students', () => '/students'),
      admin: redirect('/students', () => '/students'),
    },
    json: {
      anonymous: csrfJson,
      student: forbiddenJson,
      staff: { status: 200, data: (data) => expect(data.archived).toBe(true) },
      admin: { status: 200, data: (data) => expect(data.archived).toBe(true) },
    },
  },
  {
    route: 'POST /students/:id/restore',
    method: 'POST',
    path: (f) => `/students/${f.row.id}/restore`,
    archived: true,
    html: {
      anonymous: csrfHtml,
      student: forbiddenHtml,
      staff: forbiddenHtml,
      admin: redirect('/students/:id', (f) => `/students/${f.row.id}`),
    },
    json: {
      anonymous: csrfJson,
      student: forbiddenJson,
      staff: forbiddenJson,
      admin: { status: 200, data: (data) => expect(data.archived).toBe(false) },
    },
  },
  ...(['csv', 'xlsx'] as const).flatMap((format) => [
    exportCase(`/students/export.${format}`, () => `/students/export.${format}?status=enrolled`),
    exportCase(`/sections/:id/roster.${format}`, (f) => `/sections/${f.sectionId}/roster.${format}`),
    exportCase(`/sections/:id/grades/export.${format}`, (f) => `/sections/${f.sectionId}/grades/export.${format}`),
    exportCase(`/admin/audit/export.${format}`, () => `/admin/audit/export.${format}?action=login`, true),
  ]),
];

const ACTORS: Actor[] = ['anonymous', 'student', 'staff', 'admin'];
const FORMATS: Format[] = ['html', 'json'];

interface Cell {
  title: string;
  route: RouteCase;
  actor: Actor;
  format: Format;
  outcome: Outcome;
}

function describeOutcome(o: Outcome): string {
  if (o.status === 302) return `302 to ${o.to}`;
  return o.code ? `${o.status} ${o.code}` : String(o.status);
}

const ALL_CELLS: Cell[] = ROUTES.flatMap((route) =>
  ACTORS.flatMap((actor) =>
    FORMATS.map((format) => {
      const outcome = route[format][actor];
      return {
        title: `${route.route} as ${actor} (${format}) -> ${describeOutcome(outcome)}`,
        route,
        actor,
        format,
        outcome,
      };
    }),
  ),
);

const ACCEPT: Record<Format, string> = { html: 'text/html', json: 'application/json' };

describe('who may open what', () => {
  let t: TestApp;
  let repo: StudentsRepository;
  let own: StudentRow;
  let sectionId: number;
  const agents = {} as Record<Role, Agent>;

  beforeAll(async () => {
    t = await buildTestApp();
    repo = new StudentsRepository(t.db);
    own = await createStudent(t.db);
    sectionId = (await createSection(t.db)).id;
    await insertEnrolment(t.db, sectionId, own.id);
    const student = await createUser(t.db, 'student', { studentId: own.id });
    agents.student = await signIn(t.app, student);
    agents.staff = await signIn(t.app, await createUser(t.db, 'staff'));
    agents.admin = await signIn(t.app, await createUser(t.db, 'admin'));
  });
  afterAll(() => t.close());

  async function fixture(route: RouteCase): Promise<Fixture> {
    const row = await createStudent(t.db);
    if (route.archived) await repo.setArchived(row.id, true);
    return { own, row: (await repo.findById(row.id))!, sectionId };
  }

  async function perform(cell: Cell, f: Fixture, agent: Agent, token?: string) {
    const path = cell.route.path(f);
    if (cell.route.method === 'GET') return agent.get(path).set('Accept', ACCEPT[cell.format]);
    const body = cell.route.body?.(f) ?? {};
    const req = agent.post(path).set('Accept', ACCEPT[cell.format]);
    if (cell.format === 'json') return (token ? req.set('X-CSRF-Token', token) : req).send(body);
    return req.type('form').send(token ? { ...body, _csrf: token } : body);
  }

  const auditCount = async () => Number((await t.db('audit_log').count({ n: '*' }))[0]!.n);

  describe('the role matrix', () => {
    test.each(ALL_CELLS)('$title', async (cell) => {
      const f = await fixture(cell.route);
      const anonymous = cell.actor === 'anonymous';
      const agent = anonymous ? request.agent(t.app) : agents[cell.actor as Role];
      const token =
        !anonymous && cell.route.method === 'POST' ? await csrfToken(agent, '/account/password') : undefined;
      const auditBefore = await auditCount();

      const res = await perform(cell, f, agent, token);

      const { outcome } = cell;
      expect(res.status).toBe(outcome.status);
      if (outcome.location) {
        const expected = outcome.location(f);
        if (typeof expected === 'string') expect(res.headers.location).toBe(expected);
        else expect(res.headers.location).toMatch(expected);
      }
      if (outcome.code) expect(res.body.error.code).toBe(outcome.code);
      if (outcome.text) expect(res.text).toContain(outcome.text);
      if (outcome.contentType) {
        expect(res.headers['content-type']).toMatch(outcome.contentType);
        expect(res.headers['content-disposition']).toMatch(/^attachment; /);
      } else expect(res.headers['content-disposition']).toBeUndefined();
      if (outcome.data) outcome.data(res.body.data, f);

      // A write that was let through leaves exactly one audit row; a refused one changes nothing at all.
      if (cell.route.method === 'POST') {
        const allowed = outcome.status < 400;
        expect((await auditCount()) - auditBefore).toBe(allowed ? 1 : 0);
        if (!allowed) {
          expect(await repo.findById(f.row.id)).toEqual(f.row);
          if (cell.route.route === 'POST /students') {
            const sent = cell.route.body!(f).student_no;
            expect(await t.db('students').where({ student_no: sent }).first()).toBeUndefined();
          }
        }
      }
    });

    it('covers every route for every actor in both formats', () => {
      expect(ROUTES).toHaveLength(19);
      expect(ALL_CELLS).toHaveLength(19 * ACTORS.length * FORMATS.length);
    });
  });

  describe('an anonymous POST that does carry a CSRF token (a session from /login)', () => {
    const writes = ROUTES.filter((r) => r.method === 'POST').flatMap((route) =>
      FORMATS.map((format) => ({
        title: `${route.route} (${format}) -> ${format === 'html' ? '302 to /login' : '401 unauthorized'}`,
        route,
        format,
      })),
    );

    test.each(writes)('$title', async ({ route, format }) => {
      const f = await fixture(route);
      const agent = request.agent(t.app);
      const token = await csrfToken(agent, '/login');
      const auditBefore = await auditCount();

      const res = await perform({ title: '', route, actor: 'anonymous', format, outcome: ok }, f, agent, token);

      if (format === 'html') {
        expect(res.status).toBe(302);
        expect(res.headers.location).toBe('/login');
      } else {
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe('unauthorized');
      }
      expect(await auditCount()).toBe(auditBefore);
      expect(await repo.findById(f.row.id)).toEqual(f.row);
    });
  });

  describe('a student sees only their own record', () => {
    it("gets 403 on another student's record when changing the id, and on their own under /students", async () => {
      const other = await createStudent(t.db, { name: 'Someone Else' });
      for (const path of [`/students/${other.id}`, `/students/${other.id}/edit`, `/students/${own.id}`]) {
        const html = await agents.student.get(path).set('Accept', 'text/html');
        expect(html.status).toBe(403);
        expect(html.text).toContain(FORBIDDEN_TEXT);
        expect(html.text).not.toContain(other.student_no);

        const json = await agents.student.get(path).set('Accept', 'application/json');
        expect(json.status).toBe(403);
        expect(json.body.error.code).toBe('forbidden');
        expect(json.body.data).toBeUndefined();
      }
    });

    it('gives 404 with a clear message when no record is linked to the account', async () => {
      const agent = await signIn(t.app, await createUser(t.db, 'student', { studentId: null }));

      const html = await agent.get('/me').set('Accept', 'text/html');
      expect(html.status).toBe(404);
      expect(html.text).toContain('No student record is linked to your account. Please contact the registry office.');

      const json = await agent.get('/me').set('Accept', 'application/json');
      expect(json.status).toBe(404);
      expect(json.body.error).toMatchObject({
        code: 'not_found',
        message: 'No student record is linked to your account. Please contact the registry office.',
      });
    });
  });
});
