// An administrator keeps a student record from first entry to archive and back, the way a registry
// clerk would; axe checks every page on the way.
import { expectAccessible } from './support/accessibility';
import { signIn } from './support/browser';
import { attrOf, focusedId, follow, submit, textOf, textsOf } from './support/dom';
import { useJourney } from './support/journey';
import { screenshot } from './support/screenshots';

jest.setTimeout(90_000);

const journey = useJourney();

const STUDENT_NO = 'E2E-20250001';
const NAME = 'Marguerite Journeyman';
const SAVE = 'main form.grid-form button[type="submit"]';
const SEARCH = 'main form[role="search"] button[type="submit"]';

test('an admin creates, corrects, finds, edits, archives and restores a student', async () => {
  const context = await journey.context();
  const { page, problems } = await journey.page(context);

  await page.goto('/login');
  expect(await textOf(page, 'h1')).toBe('Sign in');
  await expectAccessible(page);
  await screenshot(page, 'login-en');
  await signIn(page, 'admin');
  await expectAccessible(page);
  await screenshot(page, 'dashboard-en');

  await follow(page, 'nav.sidenav a[href="/students"]');
  expect(await textOf(page, 'h1')).toBe('Students');
  expect(await page.locator('main table tbody tr').count()).toBeGreaterThan(0);
  await expectAccessible(page);
  await screenshot(page, 'students-en');

  // A first attempt without a name: the form comes back with the message tied to the field.
  await follow(page, 'main a[href="/students/new"]');
  expect(await textOf(page, 'h1')).toBe('New student');
  await expectAccessible(page);
  await page.locator('#f-student_no').fill(STUDENT_NO);
  await page.locator('#f-gender').selectOption('female');
  await page.locator('#f-birth_date').fill('2006-03-14');
  await page.locator('#f-email').fill('m.journeyman@students.example.edu');
  await page.locator('#f-enrolment_year').fill('2025');
  expect(await submit(page, SAVE)).toBe(422);

  expect(await attrOf(page, '#f-name', 'aria-invalid')).toBe('true');
  expect(await attrOf(page, '#f-name', 'aria-describedby')).toBe('f-name-error');
  expect(await textOf(page, '#f-name-error')).toBe('This field is required.');
  expect(await focusedId(page)).toBe('f-name');
  expect(await page.locator('#f-student_no').inputValue()).toBe(STUDENT_NO);
  expect(await page.locator('#f-email').inputValue()).toBe('m.journeyman@students.example.edu');
  expect(await textOf(page, '[data-form-error]')).toBe('Some fields need your attention.');
  await expectAccessible(page);
  await screenshot(page, 'student-form-errors-en');

  await page.locator('#f-name').fill(NAME);
  expect(await submit(page, SAVE)).toBe(200);
  expect(new URL(page.url()).pathname).toMatch(/^\/students\/\d+$/);
  expect(await textOf(page, 'main .flash')).toBe(`${NAME} was added.`);
  expect(await textOf(page, 'h1')).toBe(`${NAME} (${STUDENT_NO})`);
  await expectAccessible(page);
  await screenshot(page, 'student-detail-en');

  // Found again by a part of the name.
  await follow(page, 'nav.sidenav a[href="/students"]');
  await page.locator('#q').fill('journeyman');
  await submit(page, SEARCH);
  expect(await textOf(page, 'main p[role="status"]')).toBe('1 student');
  expect(await textsOf(page, 'main table tbody tr td:nth-child(2)')).toEqual([NAME]);
  await expectAccessible(page);
  await follow(page, `main table a:text-is("${STUDENT_NO}")`);
  expect(await textOf(page, 'h1')).toBe(`${NAME} (${STUDENT_NO})`);

  await follow(page, 'main a[href$="/edit"]');
  expect(await textOf(page, 'h1')).toBe(`Edit ${NAME}`);
  await expectAccessible(page);
  await page.locator('#f-phone').fill('+86 10 6275 1234');
  expect(await submit(page, SAVE)).toBe(200);
  expect(await textOf(page, 'main .flash')).toBe(`${NAME} was saved.`);
  expect(await textOf(page, 'main')).toContain('+86 10 6275 1234');
  await expectAccessible(page);

  // Archiving asks first; the record then leaves the list until an administrator restores it.
  let question = '';
  page.once('dialog', (dialog) => {
    question = dialog.message();
    void dialog.accept();
  });
  await submit(page, 'main form[action$="/delete"] button');
  expect(question).toBe(`Archive ${NAME}? The record leaves the list until an administrator restores it.`);
  expect(new URL(page.url()).pathname).toBe('/students');
  expect(await textOf(page, 'main .flash')).toBe(`${NAME} was archived. An administrator can restore the record.`);
  await expectAccessible(page);

  await page.locator('#q').fill('journeyman');
  await submit(page, SEARCH);
  expect(await textOf(page, 'main .empty')).toContain('No student matches these filters.');
  await expectAccessible(page);

  await page.locator('#archived').check();
  await submit(page, SEARCH);
  expect(await textOf(page, 'h1')).toBe('Archived students');
  await follow(page, `main table a:text-is("${STUDENT_NO}")`);
  // Beijing time (TIME_ZONE's default), day first: "This record was archived on 25 Nov 2026, 21:17."
  expect(await textOf(page, 'main .flash-info')).toMatch(
    /^This record was archived on \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}\.$/,
  );
  await expectAccessible(page);

  await submit(page, 'main form[action$="/restore"] button');
  expect(await textOf(page, 'main .flash')).toBe(`${NAME} was restored.`);
  expect(await textOf(page, 'main form[action$="/delete"] button')).toBe('Archive');
  await expectAccessible(page);

  expect(problems()).toEqual([]);
  await context.close();
});
