// Choosing 中文 in the header turns the pages a registry clerk uses into Chinese, and the choice follows
// them from the login page through sign-in to every later page until they choose English again.
import type { Page } from 'playwright-core';
import { expectAccessible } from './support/accessibility';
import { signIn } from './support/browser';
import { attrOf, follow, submit, textOf, textsOf } from './support/dom';
import { useJourney } from './support/journey';
import { screenshot } from './support/screenshots';

jest.setTimeout(90_000);

const journey = useJourney();

const langOf = (page: Page) => attrOf(page, 'html', 'lang');

test('switching to 中文 shows Chinese on the login page, the student list and the form, and it sticks', async () => {
  const context = await journey.context('en-US');
  const { page, problems } = await journey.page(context);

  await page.goto('/login');
  expect(await textOf(page, 'h1')).toBe('Sign in');
  expect(await langOf(page)).toBe('en');

  await follow(page, 'header .lang-switch a:text-is("中文")');
  expect(new URL(page.url()).search).toBe('?lang=zh-CN');
  expect(await langOf(page)).toBe('zh-CN');
  expect(await textOf(page, 'h1')).toBe('登录');
  expect(await textOf(page, 'label[for="f-username"]')).toBe('用户名 *');
  expect(await textOf(page, 'label[for="f-password"]')).toBe('密码 *');
  expect(await textOf(page, 'main button[type="submit"]')).toBe('登录');
  expect(await textOf(page, '.skip-link')).toBe('跳到正文');
  // The switcher is announced as one named group of two links.
  expect(await page.getByRole('group', { name: '语言' }).getByRole('link').count()).toBe(2);
  await expectAccessible(page);
  await screenshot(page, 'login-zh');

  // Signing in starts a new session; the language survives it.
  await signIn(page, 'staff');
  expect(await langOf(page)).toBe('zh-CN');
  expect(await textOf(page, 'nav.sidenav a[href="/students"]')).toBe('学生');
  expect(await textOf(page, 'header .whoami')).toBe('staff · 教务人员');
  await expectAccessible(page);
  await screenshot(page, 'dashboard-zh');

  await follow(page, 'nav.sidenav a[href="/students"]');
  expect(await textOf(page, 'h1')).toBe('学生');
  expect(await textOf(page, 'label[for="q"]')).toBe('搜索');
  expect(await attrOf(page, '#q', 'placeholder')).toBe('学号或姓名');
  expect(await textOf(page, 'main p[role="status"]')).toMatch(/^共 \d+ 名学生$/);
  expect((await textsOf(page, 'main table thead th')).slice(0, 4)).toEqual(['学号 ▲', '姓名', '入学年份', '学籍状态']);
  for (const status of await textsOf(page, 'main table tbody .badge')) {
    expect(['在读', '休学', '毕业', '退学']).toContain(status);
  }
  expect(await textOf(page, 'main nav.pagination span')).toMatch(/^第 1 页，共 \d+ 页$/);
  await expectAccessible(page);
  await screenshot(page, 'students-zh');

  await follow(page, 'main a[href="/students/new"]');
  expect(await textOf(page, 'h1')).toBe('新增学生');
  expect(await textOf(page, 'label[for="f-student_no"]')).toBe('学号 *');
  expect(await textOf(page, 'label[for="f-name"]')).toBe('姓名 *');
  expect(await textOf(page, 'main form.grid-form button[type="submit"]')).toBe('保存');
  expect(await textOf(page, 'main form.grid-form a.button')).toBe('取消');
  await expectAccessible(page);

  expect(await submit(page, 'main form.grid-form button[type="submit"]')).toBe(422);
  expect(await textOf(page, '[data-form-error]')).toBe('部分字段需要修改。');
  expect(await textOf(page, '#f-student_no-error')).toBe('此项为必填项。');
  expect(await textOf(page, '#f-name-error')).toBe('此项为必填项。');
  await expectAccessible(page);
  await screenshot(page, 'student-form-errors-zh');

  // A page opened without ?lang=, and another tab of the same browser, stay in Chinese.
  await page.goto('/students/new');
  expect(await textOf(page, 'h1')).toBe('新增学生');
  const other = await context.newPage();
  await other.goto('/students');
  expect(await textOf(other, 'h1')).toBe('学生');
  await other.close();

  // And English comes back the same way.
  await follow(page, 'header .lang-switch a:text-is("English")');
  expect(await textOf(page, 'h1')).toBe('New student');
  await page.goto('/students');
  expect(await langOf(page)).toBe('en');
  expect(await textOf(page, 'h1')).toBe('Students');

  // Switching keeps the page the user is on, with its search and filters.
  await page.goto('/students?q=%E7%8E%8B&status=enrolled');
  await follow(page, 'header .lang-switch a:text-is("中文")');
  const switched = new URL(page.url());
  expect([switched.pathname, switched.searchParams.get('q'), switched.searchParams.get('status')]).toEqual([
    '/students',
    '王',
    'enrolled',
  ]);
  expect(await textOf(page, 'h1')).toBe('学生');
  expect(await page.locator('#q').inputValue()).toBe('王');

  expect(problems()).toEqual([]);
  await context.close();
});

test('a browser that prefers Chinese gets Chinese before choosing anything', async () => {
  const context = await journey.context('zh-CN');
  const { page, problems } = await journey.page(context);
  await page.goto('/login');
  expect(await langOf(page)).toBe('zh-CN');
  expect(await textOf(page, 'h1')).toBe('登录');
  expect(problems()).toEqual([]);
  await context.close();
});
