// Dates and times on pages read naturally in each language, in the university's time zone (TIME_ZONE),
// as <time datetime> elements; JSON keeps the stored values.
import { createAuditRow, createStudent, createUser, uniqueTag } from '../helpers/factories';
import { type Agent, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

/** Masked CSRF tokens are random base64url: one may well spell "UTC". */
const withoutTokens = (html: string) => html.replace(/m\.[A-Za-z0-9_-]+/g, 'm.TOKEN');

const page = (agent: Agent, path: string) => agent.get(path).set('Accept', 'text/html');

describe('dates and times on pages, in Beijing time by default', () => {
  let t: TestApp;
  let staff: Agent;
  let admin: Agent;

  beforeAll(async () => {
    t = await buildTestApp();
    staff = await signIn(t.app, await createUser(t.db, 'staff'));
    admin = await signIn(t.app, await createUser(t.db, 'admin'));
  });
  afterAll(() => t.close());

  async function studentWithHistory() {
    const student = await createStudent(t.db, { birth_date: '2005-03-01' });
    await createAuditRow(t.db, { entity: 'student', entityId: String(student.id), at: '2026-11-25 13:17:00' });
    return student;
  }

  it("shows a student's history and birth date in Chinese, eight hours ahead of the stored UTC", async () => {
    const student = await studentWithHistory();
    const res = await page(staff, `/students/${student.id}?lang=zh-CN`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(
      '<time datetime="2026-11-25T13:17:00Z" title="中国标准时间（Asia/Shanghai）">2026年11月25日 21:17</time>',
    );
    expect(res.text).toContain('<time datetime="2005-03-01">2005年3月1日</time>');
    expect(withoutTokens(res.text)).not.toContain('UTC');
  });

  it('shows the same page in English, day first with a month name', async () => {
    const student = await studentWithHistory();
    const res = await page(staff, `/students/${student.id}?lang=en`);
    expect(res.text).toContain(
      '<time datetime="2026-11-25T13:17:00Z" title="China Standard Time (Asia/Shanghai)">25 Nov 2026, 21:17</time>',
    );
    expect(res.text).toContain('<time datetime="2005-03-01">1 Mar 2005</time>');
    expect(withoutTokens(res.text)).not.toContain('UTC');
  });

  it('formats the time inside an archived banner', async () => {
    const student = await createStudent(t.db);
    await t.db('students').where({ id: student.id }).update({ deleted_at: '2026-11-25 20:30:00' });
    const en = await page(admin, `/students/${student.id}?lang=en`);
    expect(en.text).toContain('This record was archived on 26 Nov 2026, 04:30.');
    const zh = await page(admin, `/students/${student.id}?lang=zh-CN`);
    expect(zh.text).toContain('该记录已于 2026年11月26日 04:30 归档。');
  });

  it('keeps the stored values in JSON', async () => {
    const student = await studentWithHistory();
    const res = await staff.get(`/students/${student.id}`).set('Accept', 'application/json');
    expect(res.body.data.birth_date).toBe('2005-03-01');
    const actor = `j${uniqueTag()}`;
    await createAuditRow(t.db, { actor, at: '2026-11-25 13:17:00' });
    const audit = await admin.get(`/admin/audit?actor=${actor}`).set('Accept', 'application/json');
    expect(audit.body.data[0].at).toBe('2026-11-25 13:17:00');
  });

  it('names the zone once on the audit page and shows each change to the second', async () => {
    const actor = `z${uniqueTag()}`;
    await createAuditRow(t.db, { actor, at: '2026-11-25 13:17:05' });
    const zh = await page(admin, `/admin/audit?actor=${actor}&lang=zh-CN`);
    expect(zh.text).toContain('本页时间均为中国标准时间（Asia/Shanghai）。');
    expect(zh.text).toContain('<time datetime="2026-11-25T13:17:05Z"');
    expect(zh.text).toContain('2026年11月25日 21:17:05</time>');
    const en = await page(admin, `/admin/audit?actor=${actor}&lang=en`);
    expect(en.text).toContain('Times are shown in China Standard Time (Asia/Shanghai).');
    expect(en.text).toContain('25 Nov 2026, 21:17:05</time>');
  });
});

describe('another configured time zone', () => {
  let t: TestApp;
  let admin: Agent;

  beforeAll(async () => {
    t = await buildTestApp({ env: { TIME_ZONE: 'Europe/London' } });
    admin = await signIn(t.app, await createUser(t.db, 'admin'));
  });
  afterAll(() => t.close());

  it('shows times in that zone, summer time included, and filters by its days', async () => {
    const actor = `l${uniqueTag()}`;
    await createAuditRow(t.db, { actor, at: '2026-07-01 23:30:00' }); // 00:30 on 2 July in London
    const res = await page(admin, `/admin/audit?actor=${actor}&lang=en`);
    expect(res.text).toContain('<time datetime="2026-07-01T23:30:00Z"');
    expect(res.text).toContain('2 Jul 2026, 00:30:00</time>');
    expect(res.text).toMatch(/Times are shown in [^<]+\(Europe\/London\)\./);
    const onDay = async (day: string) =>
      (await admin.get(`/admin/audit?actor=${actor}&from=${day}&to=${day}`).set('Accept', 'application/json')).body.data
        .length;
    expect(await onDay('2026-07-02')).toBe(1);
    expect(await onDay('2026-07-01')).toBe(0);
  });
});
