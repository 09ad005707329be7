// A registry clerk imports students from a real-looking Excel file, in Chinese: the file has mistakes,
// the check lists every one of them by row and column before anything is written, the clerk fixes the
// file, checks it again, and imports it; the new students are then on the list.
import { expectAccessible } from './support/accessibility';
import { signIn } from './support/browser';
import { follow, submit, textOf } from './support/dom';
import { useJourney } from './support/journey';
import { screenshot } from './support/screenshots';
import { importFiles } from '../helpers/import-files';

jest.setTimeout(120_000);

const journey = useJourney();
const files = importFiles();
afterAll(() => files.cleanup());

const HEADER = ['学号', '姓名', '性别', '出生日期', '入学年份', '学籍状态'];

test('staff import students: mistakes shown before anything is written, the fixed file imported', async () => {
  const context = await journey.context('zh-CN');
  const { page, problems } = await journey.page(context);
  await page.goto('/login');
  await signIn(page, 'staff');
  const before = Number((await journey.app.db('students').count({ n: '*' }))[0]!.n);

  // From the student list's toolbar to the import page, with its templates.
  await page.goto('/students');
  await follow(page, 'main a[href="/imports/new?kind=students"]');
  expect(await textOf(page, 'h1')).toBe('导入学生');
  expect(await page.locator('main a[href="/imports/templates/students.xlsx"]').count()).toBe(1);
  await expectAccessible(page);

  const rows = [
    ['2026900001', '欧阳明', '男', '2007-03-14', 2026, '在读'],
    ['2026900002', '司马慧', '未知', '2007-13-01', 2026, '在读'],
    ['2026900003', '', '女', '2007-05-20', 1800, '在读'],
  ];
  const bad = await files.xlsx('新生名单.xlsx', [HEADER, ...rows], { textColumns: [1] });
  await page.locator('#f-file').setInputFiles(bad);
  expect(await submit(page, 'main form[action="/imports"] button[type="submit"]')).toBe(200);
  // The job's page follows the check by itself and shows its report when it is done.
  await page.locator('table.import-problems').waitFor();
  const found = await page.locator('table.import-problems tbody tr').allTextContents();
  expect(found.length).toBe(4);
  expect(found.join('\n')).toContain('未知');
  expect(await page.locator('mark.bad-cell').count()).toBe(4);
  expect(await textOf(page, 'main dl.details dd')).toBe('新生名单.xlsx');
  expect(await page.locator('form[action$="/commit"]').count()).toBe(0);
  await expectAccessible(page);
  await screenshot(page, 'import-mistakes-zh-CN');
  expect(Number((await journey.app.db('students').count({ n: '*' }))[0]!.n)).toBe(before);

  // The clerk corrects the file and checks it again: clean, so the import is offered.
  await follow(page, 'main a[href="/imports/new?kind=students"]');
  rows[1] = ['2026900002', '司马慧', '女', '2007-12-01', 2026, '在读'];
  rows[2] = ['2026900003', '诸葛亮', '女', '2007-05-20', 2026, '在读'];
  const fixed = await files.xlsx('新生名单-已改.xlsx', [HEADER, ...rows], { textColumns: [1] });
  await page.locator('#f-file').setInputFiles(fixed);
  await submit(page, 'main form[action="/imports"] button[type="submit"]');
  await page.locator('form[action$="/commit"]').waitFor();
  expect(await textOf(page, '[data-count="created"] .stat-value')).toBe('3');
  expect(Number((await journey.app.db('students').count({ n: '*' }))[0]!.n)).toBe(before);

  await submit(page, 'form[action$="/commit"] button[type="submit"]');
  await page.locator('[data-count="created"]').waitFor();
  expect(await textOf(page, 'h1')).toContain('学生导入');
  expect(await textOf(page, '[data-count="created"] .stat-value')).toBe('3');
  await screenshot(page, 'import-done-zh-CN');
  expect(Number((await journey.app.db('students').count({ n: '*' }))[0]!.n)).toBe(before + 3);

  await page.goto('/students?q=诸葛亮');
  expect(await textOf(page, 'main table tbody')).toContain('2026900003');
  expect(problems()).toEqual([]);
  await context.close();
});
