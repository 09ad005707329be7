// Imports through the routes a browser and an API client use: the upload answers 202 with the job's
// address at once, the job runs in the background, its page and JSON follow it to the report, a clean dry
// run is committed from the file already kept, and every bad upload is a clear 4xx with nothing written.
import type { Knex } from 'knex';
import request from 'supertest';
import { createClass, createUser, uniqueTag } from '../../helpers/factories';
import { type ImportFiles, importFiles } from '../../helpers/import-files';
import { type Agent, csrfFromHtml, signIn } from '../../helpers/session';
import { buildTestApp, type TestApp } from '../../helpers/test-app';

const HEADER = ['学号', '姓名', '性别', '入学年份', '班级'];
const number = () => `2025${uniqueTag().replace(/\D/g, '').padStart(6, '0')}`;

describe('import jobs', () => {
  let t: TestApp;
  let files: ImportFiles;
  let staff: Agent;
  let classCode: string;

  beforeAll(async () => {
    t = await buildTestApp();
    files = importFiles();
    staff = await signIn(t.app, await createUser(t.db, 'staff'));
    const made = await createClass(t.db);
    classCode = (await t.db('classes').where({ id: made.id }).first('code')).code as string;
  });
  afterAll(async () => {
    files.cleanup();
    await t.close();
  });

  const count = async (q: Knex.QueryBuilder) => Number((await q.count({ n: '*' }))[0]!.n);
  const written = async () => ({
    students: await count(t.db('students')),
    jobs: await count(t.db('import_jobs')),
    chunks: await count(t.db('import_job_chunks')),
  });

  /** The upload form's hidden fields, as the page gives them. */
  async function formFields(agent: Agent, query = 'kind=students') {
    const page = await agent.get(`/imports/new?${query}`).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    const idem = /name="_idem" value="([^"]+)"/.exec(page.text)![1]!;
    return { _csrf: csrfFromHtml(page.text), _idem: idem };
  }

  async function upload(agent: Agent, file: string, fields: Record<string, string>, accept = 'application/json') {
    const form = await formFields(agent);
    let req = agent.post('/imports').set('Accept', accept);
    for (const [name, value] of Object.entries({ ...form, ...fields })) req = req.field(name, value);
    return req.attach('file', file);
  }

  it('checks a file with mistakes in the background, then lists them by row and column; nothing is written', async () => {
    const no = number();
    const file = await files.xlsx(
      'mistakes.xlsx',
      [HEADER, [no, '王一', '男', 2024, classCode], [no, '', '未知', 1800, '']],
      {
        textColumns: [1],
      },
    );
    const before = await written();
    const res = await upload(staff, file, { kind: 'students', mode: 'dry_run' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ data: { id: expect.any(Number), status: 'queued' } });
    expect(res.headers.location).toBe(`/imports/${res.body.data.id}`);

    await t.jobs.idle();
    const job = await staff.get(String(res.headers.location)).set('Accept', 'application/json');
    expect(job.status).toBe(200);
    expect(job.body.data).toMatchObject({
      id: res.body.data.id,
      kind: 'students',
      mode: 'dry_run',
      status: 'succeeded',
      progress: { done: 2, total: 2 },
      counts: { created: 1, updated: 0, unchanged: 0 },
      can_commit: false,
    });
    const found = job.body.data.errors.map((e: { row: number; column: string }) => `${e.row} ${e.column}`);
    expect(found.sort()).toEqual(['3 入学年份', '3 姓名', '3 学号', '3 性别']);
    // The page shows the same report, the bad values marked.
    const page = await staff.get(String(res.headers.location)).set('Accept', 'text/html');
    expect(page.text).toContain('<mark class="bad-cell">未知</mark>');
    expect(page.text).not.toContain(`action="/imports/${res.body.data.id}/commit"`);
    // Its problems sort by any of their columns, here by column, descending.
    const rowsOf = (html: string) =>
      [...html.matchAll(/<tr>\s*<td class="num">(\d+)<\/td>\s*<td>([^<]*)<\/td>/g)].map((m) => m[2]);
    const byColumn = await staff.get(`/imports/${res.body.data.id}?sort=column&dir=desc`).set('Accept', 'text/html');
    expect(byColumn.text).toContain('aria-sort="descending"');
    const columns = rowsOf(byColumn.text);
    expect(columns).toEqual([...columns].sort((a, b) => b!.localeCompare(a!)));
    expect(columns).toHaveLength(4);
    const after = await written();
    expect(after.students).toBe(before.students);
    // The job's row stays; its file went once it was read (a dry run with problems is never committed).
    expect(after.jobs).toBe(before.jobs + 1);
    expect(after.chunks).toBe(before.chunks);
  });

  it('commits a clean dry run from the file it kept, once, and the job says what it did', async () => {
    const nos = [number(), number(), number()];
    const file = files.csv(
      'clean.csv',
      [HEADER, ...nos.map((no, i) => [no, `导入${i}`, i % 2 ? '女' : '男', 2024, classCode])],
      { encoding: 'utf8-bom' },
    );
    const dry = await upload(staff, file, { kind: 'students', mode: 'dry_run' }, 'text/html');
    // A browser is sent on to the job's page.
    expect(dry.status).toBe(302);
    const jobPath = dry.headers.location as string;
    await t.jobs.idle();
    const report = await staff.get(jobPath).set('Accept', 'text/html');
    expect(report.text).toContain(`action="${jobPath}/commit"`);
    expect(await count(t.db('students').whereIn('student_no', nos))).toBe(0);

    const token = csrfFromHtml(report.text);
    const idem = /action="[^"]+\/commit"[\s\S]*?name="_idem" value="([^"]+)"/.exec(report.text)![1]!;
    const commit = await staff
      .post(`${jobPath}/commit`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf: token, _idem: idem });
    expect(commit.status).toBe(202);
    // The same form sent again (a double click, a retry through nginx) answers the same job.
    const again = await staff
      .post(`${jobPath}/commit`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf: token, _idem: idem });
    expect(again.body).toEqual(commit.body);
    await t.jobs.idle();

    const done = await staff.get(String(commit.headers.location)).set('Accept', 'application/json');
    expect(done.body.data).toMatchObject({
      mode: 'commit',
      status: 'succeeded',
      counts: { created: 3, updated: 0, unchanged: 0 },
      errors: [],
    });
    expect(await count(t.db('students').whereIn('student_no', nos))).toBe(3);
    expect(await count(t.db('audit_log').where({ action: 'import' }).where('actor_username', 'like', 'staff%'))).toBe(
      1,
    );
    // Both files are gone now: the commit's with its job, the dry run's once committed from.
    expect(await count(t.db('import_job_chunks').where({ job_id: done.body.data.id }))).toBe(0);
    // Committing the same dry run again (another tab, another key) is refused: its file went to its commit.
    const page = await staff.get(jobPath).set('Accept', 'text/html');
    expect(page.text).not.toContain(`action="${jobPath}/commit"`);
    const twice = await staff
      .post(`${jobPath}/commit`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf: token, _idem: `${idem}-2`.slice(0, 64) });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('import_not_committable');
    await t.jobs.idle();
    expect(await count(t.db('students').whereIn('student_no', nos))).toBe(3);
  });

  it('refuses a bad upload with a clear 4xx and writes nothing', async () => {
    const before = await written();
    const png = files.raw('photo.xlsx', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
    // A picture renamed .xlsx is taken as a job and fails with a clear message, nothing imported.
    const picture = await upload(staff, png, { kind: 'students', mode: 'commit' });
    expect(picture.status).toBe(202);
    await t.jobs.idle();
    const failed = await staff.get(String(picture.headers.location)).set('Accept', 'application/json');
    expect(failed.body.data).toMatchObject({ status: 'failed', counts: { created: 0, updated: 0, unchanged: 0 } });
    expect(failed.body.data.message).toEqual(expect.any(String));

    // No file, an empty file, an unknown kind, grades without a section: 422 with the field named.
    const form = await formFields(staff);
    const noFile = await staff
      .post('/imports')
      .set('Accept', 'application/json')
      .field('_csrf', form._csrf)
      .field('kind', 'students')
      .field('mode', 'dry_run');
    expect(noFile.status).toBe(422);
    expect(noFile.body.error.fields).toEqual({ file: expect.any(String) });
    const empty = await upload(staff, files.raw('empty.csv', ''), { kind: 'students', mode: 'dry_run' });
    expect(empty.status).toBe(422);
    expect(empty.body.error.fields).toEqual({ file: expect.any(String) });
    const kind = await upload(staff, png, { kind: 'teachers', mode: 'dry_run' });
    expect(kind.status).toBe(422);
    expect(Object.keys(kind.body.error.fields)).toEqual(['kind']);
    const grades = await upload(staff, png, { kind: 'grades', mode: 'dry_run' });
    expect(grades.status).toBe(422);
    expect(Object.keys(grades.body.error.fields)).toEqual(['section_id']);
    // The page shows the form again with the message beside the file field.
    const html = await upload(staff, files.raw('empty2.csv', ''), { kind: 'students', mode: 'dry_run' }, 'text/html');
    expect(html.status).toBe(422);
    expect(html.text).toMatch(/<p class="field-error" id="f-file-error">[^<]+<\/p>/);

    // Over the size limit: 413 before the file is read whole.
    const big = files.raw('big.csv', Buffer.alloc(20 * 1024 * 1024 + 1, 0x41));
    const tooBig = await upload(staff, big, { kind: 'students', mode: 'dry_run' });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe('file_too_large');

    const after = await written();
    expect(after.students).toBe(before.students);
    expect(after.jobs).toBe(before.jobs + 1); // the picture's failed job only
    expect(after.chunks).toBe(before.chunks);
  });

  it('keeps each job to its owner and admins, and uploads to staff', async () => {
    const file = files.csv('mine.csv', [HEADER, [number(), '李四', '男', 2024, '']]);
    const res = await upload(staff, file, { kind: 'students', mode: 'dry_run' });
    await t.jobs.idle();
    const otherStaff = await signIn(t.app, await createUser(t.db, 'staff'));
    const admin = await signIn(t.app, await createUser(t.db, 'admin'));
    expect((await otherStaff.get(String(res.headers.location)).set('Accept', 'application/json')).status).toBe(404);
    expect((await admin.get(String(res.headers.location)).set('Accept', 'application/json')).status).toBe(200);

    const student = await signIn(t.app, await createUser(t.db, 'student'));
    expect((await student.get('/imports/new').set('Accept', 'text/html')).status).toBe(403);
    expect((await student.get(String(res.headers.location)).set('Accept', 'application/json')).status).toBe(403);
    const refused = await student
      .post('/imports')
      .set('Accept', 'application/json')
      .field('kind', 'students')
      .field('mode', 'commit')
      .attach('file', file);
    expect(refused.status).toBe(403);
    const anonymous = await request(t.app).post('/imports').set('Accept', 'application/json').attach('file', file);
    expect(anonymous.status).toBe(401);
  });
});
