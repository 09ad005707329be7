// An archived section can be brought back by an administrator (like courses and students): audited,
// idempotent, refused to staff, and "not archived" when there is nothing to restore.
import en from '../../src/i18n/locales/catalogue.en.json';
import { createCourse, createSection, createUser } from '../helpers/factories';
import { type Agent, csrfFromHtml, csrfToken, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

const s = en.catalogue.sections;

describe('restoring an archived section', () => {
  let t: TestApp;
  let staff: Agent;
  let admin: Agent;

  beforeAll(async () => {
    t = await buildTestApp();
    staff = await signIn(t.app, await createUser(t.db, 'staff'));
    admin = await signIn(t.app, await createUser(t.db, 'admin'));
  });
  afterAll(() => t.close());

  async function archivedSection(options: { courseId?: number; termId?: number } = {}) {
    const section = await createSection(t.db, options);
    await t.db('sections').where({ id: section.id }).update({ deleted_at: '2026-01-01 00:00:00' });
    return section;
  }

  async function postJson(agent: Agent, path: string) {
    const token = await csrfToken(agent, '/account/password');
    return agent.post(path).set('Accept', 'application/json').set('X-CSRF-Token', token).send({});
  }

  const restoreAudits = (id: number) =>
    t.db('audit_log').where({ entity: 'section', entity_id: String(id), action: 'restore' });

  it('the archived page offers admins a Restore button (not staff); restoring brings it back, audited', async () => {
    const section = await archivedSection();
    const page = await admin.get(`/sections/${section.id}`).set('Accept', 'text/html');
    expect(page.text).toContain(`action="/sections/${section.id}/restore"`);
    const staffPage = await staff.get(`/sections/${section.id}`).set('Accept', 'text/html');
    expect(staffPage.text).not.toContain(`/sections/${section.id}/restore`);

    const res = await admin
      .post(`/sections/${section.id}/restore`)
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf: csrfFromHtml(page.text), _idem: 'restore-section-0001' });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`/sections/${section.id}`);
    expect((await t.db('sections').where({ id: section.id }).first()).deleted_at).toBeNull();

    const shown = await admin.get(`/sections/${section.id}`).set('Accept', 'text/html');
    const code = (await t.db('courses').where({ id: section.courseId }).first()).code;
    expect(shown.text).toContain(s.restored.replace('{{name}}', `${code}-${section.sectionNo}`));
    expect(shown.text).toContain(`action="/sections/${section.id}/delete"`);

    const audits = await restoreAudits(section.id);
    expect(audits).toHaveLength(1);
    expect(JSON.parse(audits[0].before_json).section.deleted_at).not.toBeNull();
    expect(JSON.parse(audits[0].after_json).section.deleted_at).toBeNull();
  });

  it('a repeated submission (same _idem) restores once, with one audit row', async () => {
    const section = await archivedSection();
    const page = await admin.get(`/sections/${section.id}`).set('Accept', 'text/html');
    const body = { _csrf: csrfFromHtml(page.text), _idem: 'restore-section-0002' };
    const send = () => admin.post(`/sections/${section.id}/restore`).type('form').set('Accept', 'text/html').send(body);
    expect((await send()).status).toBe(302);
    const again = await send();
    expect(again.status).toBe(302);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await restoreAudits(section.id)).toHaveLength(1);
  });

  it('restoring a section that is not archived says so and writes nothing', async () => {
    const section = await createSection(t.db);
    const res = await postJson(admin, `/sections/${section.id}/restore`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: section.id, archived: false });

    const page = await admin.get(`/sections/${section.id}`).set('Accept', 'text/html');
    await admin
      .post(`/sections/${section.id}/restore`)
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf: csrfFromHtml(page.text) });
    const code = (await t.db('courses').where({ id: section.courseId }).first()).code;
    const shown = await admin.get(`/sections/${section.id}`).set('Accept', 'text/html');
    expect(shown.text).toContain(s.not_archived.replace('{{name}}', `${code}-${section.sectionNo}`));
    expect(await restoreAudits(section.id)).toHaveLength(0);
  });

  it('staff get 403, students 403, and the section stays archived', async () => {
    const section = await archivedSection();
    expect((await postJson(staff, `/sections/${section.id}/restore`)).status).toBe(403);
    const student = await signIn(t.app, await createUser(t.db, 'student'));
    expect((await postJson(student, `/sections/${section.id}/restore`)).status).toBe(403);
    expect((await t.db('sections').where({ id: section.id }).first()).deleted_at).not.toBeNull();
  });

  it('a section of an archived course stays archived until the course is restored (409)', async () => {
    const course = await createCourse(t.db);
    const section = await archivedSection({ courseId: course.id });
    await t.db('courses').where({ id: course.id }).update({ deleted_at: '2026-01-01 00:00:00' });
    const res = await postJson(admin, `/sections/${section.id}/restore`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('course_archived');
    expect(res.body.error.message).toBe(s.course_archived);
  });

  it('staff find a term’s archived sections with archived=1; students never see them', async () => {
    const active = await createSection(t.db);
    const archived = await archivedSection({ termId: active.termId });
    const term = (await t.db('terms').where({ id: active.termId }).first()).code;
    const ids = async (agent: Agent, query: string) =>
      (await agent.get(`/sections?term=${term}${query}`).set('Accept', 'application/json')).body.data.map(
        (row: { id: number }) => row.id,
      );
    expect(await ids(staff, '')).toEqual([active.id]);
    expect(await ids(staff, '&archived=1')).toEqual([archived.id]);

    const html = await staff.get(`/sections?term=${term}&archived=1`).set('Accept', 'text/html');
    expect(html.text).toContain(`href="/sections/${archived.id}"`);
    expect(html.text).not.toContain(`href="/sections/${archived.id}/edit"`);
    expect(html.text).toMatch(/<input id="archived" name="archived" type="checkbox" value="1" checked>/);

    const student = await signIn(t.app, await createUser(t.db, 'student'));
    expect(await ids(student, '&archived=1')).toEqual([active.id]);
    const studentHtml = await student.get(`/sections?term=${term}&archived=1`).set('Accept', 'text/html');
    expect(studentHtml.text).not.toContain('name="archived"');
  });

  it('answers 404 for an unknown section', async () => {
    expect((await postJson(admin, '/sections/999999/restore')).status).toBe(404);
  });
});
