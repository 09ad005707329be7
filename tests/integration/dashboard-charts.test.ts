// The dashboard's charts: students by status (each bar linking to the filtered list), by department
// (those without a class apart), and this term's fullest sections, the ones at least 90% full marked.
import { createClass, createSection, createStudent, createTerm, createUser } from '../helpers/factories';
import { type Agent, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

/** The figures a chart draws, by bar key (read from the SVG's data attributes). */
function bars(html: string, chartId: string): Record<string, number> {
  const svg = new RegExp(`data-chart="${chartId}">([\\s\\S]*?)</svg>`).exec(html)?.[1] ?? '';
  return Object.fromEntries(
    [...svg.matchAll(/data-key="([^"]+)" data-value="([^"]+)"/g)].map((m) => [m[1], Number(m[2])]),
  );
}
const desc = (html: string, chartId: string) => new RegExp(`<desc id="${chartId}-desc">([^<]*)</desc>`).exec(html)?.[1];

describe('the dashboard charts', () => {
  let t: TestApp;
  let staff: Agent;

  beforeAll(async () => {
    t = await buildTestApp();
    staff = await signIn(t.app, await createUser(t.db, 'staff'));
  });
  afterAll(() => t.close());

  it('draws students by status as the JSON counts them, each bar a pointer shortcut to the filtered list', async () => {
    await createStudent(t.db, { status: 'suspended' });
    const counts = (await staff.get('/').set('Accept', 'application/json')).body.data.students_by_status;
    const html = (await staff.get('/?lang=en').set('Accept', 'text/html')).text;
    const drawn = bars(html, 'chart-status');
    for (const status of ['enrolled', 'suspended', 'graduated', 'withdrawn'])
      expect(drawn[status]).toBe(counts[status] ?? 0);
    expect(html).toMatch(/<a href="\/students\?status=suspended" aria-label="Suspended: [\d,]+ \(\d+%\)">/);
    // The links are real ones, outside the picture, and the table has them too.
    expect(html).toMatch(/<details class="chart-table">[\s\S]*?<a href="\/students\?status=suspended">Suspended<\/a>/);
    expect(desc(html, 'chart-status')).toMatch(/^Of [\d,]+ student records — Enrolled: [\d,]+ \(\d+%\); Suspended: /);
    const zh = (await staff.get('/?lang=zh-CN').set('Accept', 'text/html')).text;
    expect(desc(zh, 'chart-status')).toMatch(/^全部 [\d,]+ 名学生中：在读 [\d,]+ \(\d+%\)；休学 /);
  });

  it('draws students by department with those not in a class apart', async () => {
    const c = await createClass(t.db);
    for (let i = 0; i < 3; i++) await createStudent(t.db, { class_id: c.id });
    const dept = await t.db('departments').where({ id: c.departmentId }).first();
    const json = (await staff.get('/').set('Accept', 'application/json')).body.data;
    const html = (await staff.get('/?lang=en').set('Accept', 'text/html')).text;
    const drawn = bars(html, 'chart-department');
    expect(drawn[dept.code]).toBe(3);
    expect(drawn.none).toBe(json.students_without_class);
    expect(html).toContain(`Not in a class`);
  });

  it('draws the fullest sections as a share of their capacity, those at least 90% full hatched', async () => {
    const term = await createTerm(t.db, { current: true, name: '图表学期' });
    const full = await createSection(t.db, { termId: term.id, capacity: 20, enrolledCount: 19 });
    const half = await createSection(t.db, { termId: term.id, capacity: 40, enrolledCount: 20 });
    const html = (await staff.get('/?lang=en').set('Accept', 'text/html')).text;
    const drawn = bars(html, 'chart-fill');
    expect(drawn[String(full.id)]).toBe(95);
    expect(drawn[String(half.id)]).toBe(50);
    expect(html).toMatch(new RegExp(`class="chart-row is-alert" data-key="${full.id}"[\\s\\S]*?>19 / 20 · 95%<`));
    expect(html).toMatch(new RegExp(`class="chart-row" data-key="${half.id}"[\\s\\S]*?>20 / 40 · 50%<`));
    expect(html).toContain('fill="url(#chart-fill-hatch)"');
    expect(html).toContain('at least 90% full: 1 section here.');
    expect(desc(html, 'chart-fill')).toMatch(/^Seats taken in the 2 fullest sections of 2026-2027 Semester 1 — /);
    const zh = (await staff.get('/?lang=zh-CN').set('Accept', 'text/html')).text;
    expect(zh).toContain('>19 / 20 人 · 95%<');
  });

  it('draws no chart where there is nothing to show', async () => {
    await createTerm(t.db, { current: true });
    const html = (await staff.get('/?lang=en').set('Accept', 'text/html')).text;
    expect(html).toContain('This term has no sections yet.');
    expect(html).not.toContain('data-chart="chart-fill"');
  });
});
