// Someone who cannot use a mouse does the registry clerk's work with Tab, Enter, Space and the arrow keys
// alone, and can always see where they are: every stop on the way shows a focus ring.
import { expectAccessible } from './support/accessibility';
import { signIn } from './support/browser';
import { attrOf, focusedId, textOf } from './support/dom';
import { expectVisibleFocus, focusMatches, pressAndWait, tabTo, walkTabStops } from './support/focus';
import { useJourney } from './support/journey';
import { DEMO_PASSWORD } from './support/app-server';

jest.setTimeout(90_000);

const journey = useJourney();

const STUDENT_NO = 'KBD-20250001';
const NAME = 'Keyboard Quillfeather';
const path = (url: string) => new URL(url).pathname;

test('the skip link is the first tab stop and takes focus past the header to the page', async () => {
  const context = await journey.context();
  const { page, problems } = await journey.page(context);
  await page.goto('/login');

  await page.keyboard.press('Tab');
  expect(await focusMatches(page, 'a.skip-link')).toBe(true);
  expect(await textOf(page, '.skip-link')).toBe('Skip to content');
  await expectVisibleFocus(page);
  // Shown on the page while focused (it sits off-screen otherwise).
  const box = await page.locator('.skip-link').boundingBox();
  expect(box && box.y >= 0 && box.height > 0).toBe(true);

  await page.keyboard.press('Enter');
  expect(await focusedId(page)).toBe('main');
  // The next stop is the first control inside the page, not the header's links.
  await page.keyboard.press('Tab');
  expect(await focusedId(page)).toBe('f-username');
  await expectVisibleFocus(page);

  expect(problems()).toEqual([]);
  await context.close();
});

test('an admin signs in, adds a student through a validation error, archives it and signs out, keyboard only', async () => {
  const context = await journey.context();
  const { page, problems } = await journey.page(context);
  await page.goto('/login');

  // Sign in: the header's links, then the two fields and the button, each with a visible ring.
  await tabTo(page, '#f-username');
  await page.keyboard.type('admin');
  await page.keyboard.press('Tab');
  expect(await focusedId(page)).toBe('f-password');
  await expectVisibleFocus(page);
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press('Tab');
  expect(await focusMatches(page, 'form[action="/login"] button[type="submit"]')).toBe(true);
  await expectVisibleFocus(page);
  await pressAndWait(page, 'Enter');
  expect(path(page.url())).toBe('/');

  // Header navigation to the student list, then a sortable column header and the "New student" button.
  await tabTo(page, 'nav.sidenav a[href="/students"]');
  await pressAndWait(page, 'Enter');
  expect(path(page.url())).toBe('/students');
  await tabTo(page, 'main a.button[href="/students/new"]');
  await tabTo(page, 'main thead th a');
  await tabTo(page, 'main a.button[href="/students/new"]', { back: true });
  await pressAndWait(page, 'Enter');
  expect(await textOf(page, 'h1')).toBe('New student');

  // The form, leaving the name out on purpose; the gender is chosen with the arrow key.
  await tabTo(page, '#f-student_no');
  await page.keyboard.type(STUDENT_NO);
  await tabTo(page, '#f-gender');
  await page.keyboard.press('ArrowDown');
  expect(await page.locator('#f-gender').inputValue()).toBe('male');
  await tabTo(page, '#f-email');
  await page.keyboard.type('k.quillfeather@students.example.edu');
  await tabTo(page, '#f-enrolment_year');
  await page.keyboard.type('2025');
  await tabTo(page, '#f-status');
  await page.keyboard.press('ArrowDown');
  expect(await page.locator('#f-status').inputValue()).toBe('suspended');
  // Enter in a field submits the form.
  await tabTo(page, '#f-enrolment_year', { back: true });
  expect(await pressAndWait(page, 'Enter')).toBe(422);

  // Focus waits on the first field in error, visibly, tied to its message; what was typed is kept.
  expect(await focusedId(page)).toBe('f-name');
  await expectVisibleFocus(page);
  expect(await attrOf(page, '#f-name', 'aria-describedby')).toBe('f-name-error');
  expect(await page.locator('#f-student_no').inputValue()).toBe(STUDENT_NO);
  expect(await page.locator('#f-status').inputValue()).toBe('suspended');
  await page.keyboard.type(NAME);
  // Tab on to the Save button and press Space on it.
  await tabTo(page, 'main form.grid-form button[type="submit"]');
  expect(await pressAndWait(page, 'Space')).toBe(200);
  expect(await textOf(page, 'main .flash')).toBe(`${NAME} was added.`);
  await expectAccessible(page);

  // The language switcher, the password link and sign-out are all on the Tab path with a visible ring.
  await tabTo(page, 'header .lang-switch a[lang="zh-CN"]');
  await tabTo(page, 'header .lang-switch a[lang="en"]');
  await tabTo(page, 'header a[href="/account/password"]');
  await tabTo(page, 'header form[action="/logout"] button');

  // Archive asks first; the question is answered from the keyboard (Enter on the dialog's OK).
  let question = '';
  page.once('dialog', (dialog) => {
    question = dialog.message();
    void dialog.accept();
  });
  await tabTo(page, 'main form[action$="/delete"] button');
  await pressAndWait(page, 'Enter');
  expect(question).toBe(`Archive ${NAME}? The record leaves the list until an administrator restores it.`);
  expect(path(page.url())).toBe('/students');
  expect(await textOf(page, 'main .flash')).toBe(`${NAME} was archived. An administrator can restore the record.`);

  // Choosing 中文 from the keyboard, then signing out with it.
  await tabTo(page, 'header .lang-switch a[lang="zh-CN"]');
  await pressAndWait(page, 'Enter');
  expect(await attrOf(page, 'html', 'lang')).toBe('zh-CN');
  await tabTo(page, 'header form[action="/logout"] button');
  await pressAndWait(page, 'Enter');
  expect(path(page.url())).toBe('/login');
  expect(await textOf(page, 'h1')).toBe('登录');

  expect(problems()).toEqual([]);
  await context.close();
});

test('a student reaches their records and course selection by keyboard, focus visible all the way', async () => {
  const context = await journey.context();
  const { page, problems } = await journey.page(context);
  await page.goto('/login');
  await tabTo(page, '#f-username');
  await page.keyboard.type('student');
  await page.keyboard.press('Tab');
  await page.keyboard.type(DEMO_PASSWORD);
  await pressAndWait(page, 'Enter');
  expect(path(page.url())).toBe('/me');

  // Every stop on /me, from the skip link to the footer, shows its focus.
  const stops = await tabTo(page, 'nav.sidenav a[href="/sections"]');
  expect(stops[0]).toContain('a[href="#main"]');
  await pressAndWait(page, 'Enter');
  expect(path(page.url())).toBe('/sections');
  // Every stop of the course selection page, then of the student's other pages, shows its focus.
  for (const url of ['/sections', '/me', '/me/transcript', '/me/profile', '/account/password']) {
    if (url !== '/sections') await page.goto(url);
    expect((await walkTabStops(page)).length).toBeGreaterThan(3);
  }

  expect(problems()).toEqual([]);
  await context.close();
});

test('every tab stop on the staff and admin pages shows its focus ring', async () => {
  const db = journey.app.db;
  const student = (await db('students').whereNull('deleted_at').orderBy('id').first('id')).id as number;
  const busiest = (await db('enrolments')
    .select('section_id')
    .count({ n: '*' })
    .groupBy('section_id')
    .orderBy('n', 'desc')
    .first()) as { section_id: number };
  const section = busiest.section_id;
  const course = (await db('courses').orderBy('id').first('id')).id as number;
  const context = await journey.context();
  const { page, problems } = await journey.page(context);
  await page.goto('/login');
  expect((await walkTabStops(page)).length).toBeGreaterThan(3);
  await signIn(page, 'admin');
  for (const url of [
    '/',
    '/students',
    `/students/${student}`,
    `/students/${student}/edit`,
    '/courses',
    `/courses/${course}`,
    '/sections',
    `/sections/${section}`,
    `/sections/${section}/grades`,
    '/classes',
    '/terms',
    '/admin/users',
    '/admin/audit',
    '/admin/cluster',
  ]) {
    await page.goto(url);
    expect((await walkTabStops(page)).length).toBeGreaterThan(3);
  }
  expect(problems()).toEqual([]);
  await context.close();
});
