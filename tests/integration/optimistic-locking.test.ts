import en from '../../src/i18n/locales/en.json';
// A stale edit is refused: two people edit the same record, the first save wins, the second is told so.
import type { Response } from 'supertest';
import { StudentsRepository, type StudentRow } from '../../src/students/students.repository';
import { createStudent, createUser, studentForm, type TestUser } from '../helpers/factories';
import { type Agent, csrfFromHtml, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

describe('a stale edit is refused', () => {
  let t: TestApp;
  let repo: StudentsRepository;
  let aliceUser: TestUser;
  let alice: Agent;
  let bob: Agent;

  beforeAll(async () => {
    t = await buildTestApp();
    repo = new StudentsRepository(t.db);
    aliceUser = await createUser(t.db, 'staff');
    alice = await signIn(t.app, aliceUser);
    bob = await signIn(t.app, await createUser(t.db, 'staff'));
  });
  afterAll(() => t.close());

  const row = async (id: number) => (await repo.findById(id))!;
  const updateAudits = (id: number) => t.db('audit_log').where({ entity: 'student', entity_id: String(id) });

  /** Opens the edit page like a browser: the form's CSRF token and hidden version. */
  async function openEdit(agent: Agent, id: number): Promise<{ token: string; version: string }> {
    const res = await agent.get(`/students/${id}/edit`).set('Accept', 'text/html');
    expect(res.status).toBe(200);
    const version = /<input type="hidden" name="version" value="(\d+)">/.exec(res.text)?.[1];
    expect(version).toBeDefined();
    return { token: csrfFromHtml(res.text), version: version! };
  }

  function save(agent: Agent, id: number, token: string, body: Record<string, string>): Promise<Response> {
    return agent
      .post(`/students/${id}`)
      .type('form')
      .set('Accept', 'text/html')
      .send({ ...body, _csrf: token });
  }

  function saveJson(agent: Agent, id: number, token: string, body: Record<string, unknown>): Promise<Response> {
    return agent.post(`/students/${id}`).set('Accept', 'application/json').set('X-CSRF-Token', token).send(body);
  }

  /** Two staff members open the same record; Alice saves first. */
  async function aliceSavesFirst(): Promise<{ s: StudentRow; bobPage: { token: string; version: string } }> {
    const s = await createStudent(t.db, { name: 'Original Name', phone: '13800000001' });
    const alicePage = await openEdit(alice, s.id);
    const bobPage = await openEdit(bob, s.id);
    expect(alicePage.version).toBe('1');
    expect(bobPage.version).toBe('1');

    const first = await save(
      alice,
      s.id,
      alicePage.token,
      studentForm({ student_no: s.student_no, name: 'Alice Name', phone: '13800000002', version: alicePage.version }),
    );
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe(`/students/${s.id}`);
    return { s, bobPage };
  }

  it('lets the first save win and answers the second with a 409 page showing both values', async () => {
    const { s, bobPage } = await aliceSavesFirst();
    const alicesRow = await row(s.id);
    expect(alicesRow).toMatchObject({ name: 'Alice Name', phone: '13800000002', version: 2 });

    const bobForm = studentForm({
      student_no: s.student_no,
      name: 'Bob Name',
      phone: '13800000003',
      address: 'Bob Street 3',
      version: bobPage.version,
    });
    const second = await save(bob, s.id, bobPage.token, bobForm);
    expect(second.status).toBe(409);
    expect(second.text).toContain('Someone else changed this record after you opened it. Nothing was saved.');
    expect(second.text).toContain('<h2 id="conflict-title">Someone else changed this record</h2>');
    expect(second.text).toContain('now version 2');

    // The conflict table: Bob's entry beside the value Alice saved, marked as changed.
    expect(second.text).toContain(
      '<tr class="changed"><th scope="row">Name</th><td>Bob Name</td><td>Alice Name</td></tr>',
    );
    expect(second.text).toContain(
      '<tr class="changed"><th scope="row">Phone</th><td>13800000003</td><td>13800000002</td></tr>',
    );
    expect(second.text).toContain(
      `<tr class=""><th scope="row">Student number</th><td>${s.student_no}</td><td>${s.student_no}</td></tr>`,
    );

    // The form keeps Bob's entries and now carries the current version, so saving again is a choice.
    expect(second.text).toMatch(/<input id="f-name" name="name" type="text" value="Bob Name"/);
    expect(second.text).toMatch(/<input id="f-phone" name="phone" type="text" value="13800000003"/);
    expect(second.text).toContain('>Bob Street 3</textarea>');
    expect(second.text).toContain('<input type="hidden" name="version" value="2">');

    // The database still holds Alice's save, untouched, and only her save was audited.
    expect(await row(s.id)).toEqual(alicesRow);
    expect((await row(s.id)).version).toBe(2);
    const audits = await updateAudits(s.id);
    expect(audits.map((a) => [a.action, a.actor_id])).toEqual([['update', aliceUser.id]]);
  });

  it('saves Bob’s entries when he submits again from the 409 page at the current version', async () => {
    const { s, bobPage } = await aliceSavesFirst();
    const bobForm = studentForm({ student_no: s.student_no, name: 'Bob Name', version: bobPage.version });
    const refused = await save(bob, s.id, bobPage.token, bobForm);
    expect(refused.status).toBe(409);
    const version = /<input type="hidden" name="version" value="(\d+)">/.exec(refused.text)?.[1];
    expect(version).toBe('2');

    const retry = await save(bob, s.id, csrfFromHtml(refused.text), { ...bobForm, version: version! });
    expect(retry.status).toBe(302);
    expect(await row(s.id)).toMatchObject({ name: 'Bob Name', version: 3 });
    expect(await updateAudits(s.id)).toHaveLength(2);
  });

  it('answers a stale JSON save with 409 stale_version and the current record', async () => {
    const { s, bobPage } = await aliceSavesFirst();
    const alicesRow = await row(s.id);

    const res = await saveJson(bob, s.id, bobPage.token, {
      ...studentForm({ student_no: s.student_no, name: 'Bob Json Name' }),
      version: 1,
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'stale_version',
      message: 'Someone else changed this record after you opened it. Nothing was saved.',
      current: { id: s.id, student_no: s.student_no, name: 'Alice Name', phone: '13800000002', version: 2 },
    });
    expect(res.body.data).toBeUndefined();

    expect(await row(s.id)).toEqual(alicesRow);
    expect(await updateAudits(s.id)).toHaveLength(1);
  });

  it('lets exactly one of two simultaneous saves of the same version through', async () => {
    const s = await createStudent(t.db);
    const alicePage = await openEdit(alice, s.id);
    const bobPage = await openEdit(bob, s.id);
    const body = (name: string) => ({ ...studentForm({ student_no: s.student_no, name }), version: 1 });

    const results = await Promise.all([
      saveJson(alice, s.id, alicePage.token, body('Racer Alice')),
      saveJson(bob, s.id, bobPage.token, body('Racer Bob')),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.status === 200)!;
    const loser = results.find((r) => r.status === 409)!;
    expect(loser.body.error.code).toBe('stale_version');

    const saved = await row(s.id);
    expect(saved.version).toBe(2);
    expect(saved.name).toBe(winner.body.data.name);
    expect(await updateAudits(s.id)).toHaveLength(1);
  });

  describe('a save without a usable version', () => {
    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['not a number', 'abc'],
      ['zero', '0'],
    ])('is refused with 422 naming the version field when it is %s (JSON), and writes nothing', async (_, version) => {
      const s = await createStudent(t.db);
      const { token } = await openEdit(alice, s.id);
      const body: Record<string, unknown> = studentForm({ student_no: s.student_no, name: 'Should Not Save' });
      if (version !== undefined) body.version = version;

      const res = await saveJson(alice, s.id, token, body);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
      expect(Object.keys(res.body.error.fields)).toEqual(['version']);
      expect(res.body.error.fields.version).toBe(en.validation.version);

      expect(await row(s.id)).toEqual(s);
      expect(await updateAudits(s.id)).toHaveLength(0);
    });

    it('shows the form again with 422 and the entries kept (HTML), and writes nothing', async () => {
      const s = await createStudent(t.db);
      const { token } = await openEdit(alice, s.id);
      const res = await save(
        alice,
        s.id,
        token,
        studentForm({ student_no: s.student_no, name: 'Kept Entry', version: 'abc' }),
      );
      expect(res.status).toBe(422);
      expect(res.text).toContain('Some fields need your attention.');
      expect(res.text).toContain(en.validation.version);
      expect(res.text).toMatch(/<input id="f-name" name="name" type="text" value="Kept Entry"/);

      expect(await row(s.id)).toEqual(s);
      expect(await updateAudits(s.id)).toHaveLength(0);
    });

    it('reports a bad version together with other bad fields in one answer', async () => {
      const s = await createStudent(t.db);
      const { token } = await openEdit(alice, s.id);
      const res = await saveJson(alice, s.id, token, {
        ...studentForm({ student_no: s.student_no, name: '', email: 'nope' }),
      });
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.error.fields).sort()).toEqual(['email', 'name', 'version']);
      expect(await row(s.id)).toEqual(s);
    });
  });
});
