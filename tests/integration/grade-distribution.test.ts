// The grade grid shows how a section's recorded grades spread: score bands (or pass / fail / not yet
// graded) as a chart, the count and the mean; a section with nothing recorded says so and draws nothing.
import { createStudent, createUser, insertGrade, sectionWithStudents } from '../helpers/factories';
import { type Agent, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

const desc = (html: string) => /<desc id="chart-grades-desc">([^<]*)<\/desc>/.exec(html)?.[1];
const barValues = (html: string) =>
  Object.fromEntries([...html.matchAll(/data-key="([^"]+)" data-value="([^"]+)"/g)].map((m) => [m[1], Number(m[2])]));

describe('the grade distribution of a section', () => {
  let t: TestApp;
  let staff: Agent;

  beforeAll(async () => {
    t = await buildTestApp();
    staff = await signIn(t.app, await createUser(t.db, 'staff'));
  });
  afterAll(() => t.close());

  async function students(n: number): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) ids.push((await createStudent(t.db)).id);
    return ids;
  }

  const page = (sectionId: number, lang: string) =>
    staff.get(`/sections/${sectionId}/grades?lang=${lang}`).set('Accept', 'text/html');

  it('draws the recorded scores in bands with their count and mean, in either language', async () => {
    const { sectionId, enrolmentIds } = await sectionWithStudents(t.db, await students(6));
    const scores = [95, 91.5, 85, 72, 59];
    for (const [i, score] of scores.entries()) await insertGrade(t.db, enrolmentIds[i]!, { score });

    const en = await page(sectionId, 'en');
    expect(en.status).toBe(200);
    expect(en.text).toContain('role="img" aria-labelledby="chart-grades-title chart-grades-desc"');
    expect(desc(en.text)).toBe(
      'Scores of 5 graded students, mean 80.5 — 90–100: 2 (40%); 80–89: 1 (20%); 70–79: 1 (20%); 60–69: 0 (0%); Below 60: 1 (20%).',
    );
    expect(barValues(en.text)).toEqual({ '90-100': 2, '80-89': 1, '70-79': 1, '60-69': 0, 'below-60': 1 });
    expect(en.text).toContain('5 of 6 students graded · mean score 80.5');
    expect(en.text).toMatch(/data-distribution data-graded="5" data-mean="80.5"/);
    expect(en.text).toContain('<summary>Show as a table</summary>');

    const zh = await page(sectionId, 'zh-CN');
    expect(desc(zh.text)).toBe(
      '已录入成绩的 5 名学生（平均分 80.5）：90–100 分 2 (40%)；80–89 分 1 (20%)；70–79 分 1 (20%)；60–69 分 0 (0%)；60 分以下 1 (20%)。',
    );
    expect(zh.text).toContain('已录入 5 / 6 名学生的成绩 · 平均分 80.5');
    expect(zh.text).toContain('<summary>以表格显示</summary>');
  });

  it('puts a score of 89.5 in the 80-89 band and 90 in the top one', async () => {
    const { sectionId, enrolmentIds } = await sectionWithStudents(t.db, await students(3));
    await insertGrade(t.db, enrolmentIds[0]!, { score: 89.5 });
    await insertGrade(t.db, enrolmentIds[1]!, { score: 90 });
    await insertGrade(t.db, enrolmentIds[2]!, { score: 60 });
    const res = await page(sectionId, 'en');
    expect(barValues(res.text)).toMatchObject({ '90-100': 1, '80-89': 1, '60-69': 1, 'below-60': 0 });
  });

  it('counts pass, fail and not yet graded for a pass/fail course, with no mean', async () => {
    const { sectionId, enrolmentIds } = await sectionWithStudents(t.db, await students(4), {
      course: { grading: 'pass_fail' },
    });
    await insertGrade(t.db, enrolmentIds[0]!, { passed: true });
    await insertGrade(t.db, enrolmentIds[1]!, { passed: true });
    await insertGrade(t.db, enrolmentIds[2]!, { passed: false });

    const res = await page(sectionId, 'en');
    expect(desc(res.text)).toBe(
      'Results of 3 graded students — Pass: 2 (50%); Fail: 1 (25%); Not yet graded: 1 (25%).',
    );
    expect(barValues(res.text)).toEqual({ pass: 2, fail: 1, 'not-graded': 1 });
    expect(res.text).toContain('3 of 4 students graded');
    expect(res.text).not.toContain('mean score');
    expect(res.text).toMatch(/data-graded="3" data-mean=""/);
  });

  it('answers the same figures in the grid JSON', async () => {
    const { sectionId, enrolmentIds } = await sectionWithStudents(t.db, await students(3));
    await insertGrade(t.db, enrolmentIds[0]!, { score: 88 });
    await insertGrade(t.db, enrolmentIds[1]!, { score: 45.5 });
    const res = await staff.get(`/sections/${sectionId}/grades`).set('Accept', 'application/json');
    expect(res.status).toBe(200);
    expect(res.body.data.distribution).toEqual({
      graded: 2,
      ungraded: 1,
      mean: 66.75,
      bands: [
        { band: '90-100', count: 0 },
        { band: '80-89', count: 1 },
        { band: '70-79', count: 0 },
        { band: '60-69', count: 0 },
        { band: 'below-60', count: 1 },
      ],
    });
  });

  it('says nothing is recorded yet, and draws no chart, when no grade is saved', async () => {
    const { sectionId } = await sectionWithStudents(t.db, await students(2));
    const res = await page(sectionId, 'en');
    expect(res.status).toBe(200);
    expect(res.text).toContain('data-distribution-empty');
    expect(res.text).toContain('No grade has been recorded for this section yet');
    expect(res.text).not.toContain('<svg class="chart-svg');
    expect(res.text).toMatch(/data-graded="0" data-mean=""/);
    const json = await staff.get(`/sections/${sectionId}/grades`).set('Accept', 'application/json');
    expect(json.body.data.distribution).toMatchObject({ graded: 0, ungraded: 2, mean: null });
  });

  it('shows only the empty grid message for a section without students', async () => {
    const { sectionId } = await sectionWithStudents(t.db, []);
    const res = await page(sectionId, 'zh-CN');
    expect(res.status).toBe(200);
    expect(res.text).toContain('本教学班尚无选课学生。');
    expect(res.text).not.toContain('<svg class="chart-svg');
    expect(res.text).not.toContain('data-distribution');
  });
});
