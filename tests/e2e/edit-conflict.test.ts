// The same record open for editing in two tabs: the first save wins, the second is refused with a page
// that shows both versions side by side and keeps the second tab's entries, so nothing is lost.
import { createStudent } from '../helpers/factories';
import { expectAccessible } from './support/accessibility';
import { signIn } from './support/browser';
import { attrOf, submit, textOf, textsOf } from './support/dom';
import { useJourney } from './support/journey';
import { screenshot } from './support/screenshots';

jest.setTimeout(90_000);

const journey = useJourney();

const SAVE = 'main form.grid-form button[type="submit"]';

test('the second of two tabs saving the same edit sees the conflict page with both versions', async () => {
  const student = await createStudent(journey.app.db, { name: 'Conflict Tabs', phone: '010-0000 0000' });
  const context = await journey.context();
  const first = await journey.page(context);
  await first.page.goto('/login');
  await expectAccessible(first.page);
  await signIn(first.page, 'admin');
  const second = await journey.page(context); // a second tab of the same signed-in browser

  const edit = `/students/${student.id}/edit`;
  await first.page.goto(edit);
  await second.page.goto(edit);
  await expectAccessible(second.page);
  expect(await attrOf(second.page, 'input[name="version"]', 'value')).toBe('1');

  await first.page.locator('#f-phone').fill('010-1111 2222');
  expect(await submit(first.page, SAVE)).toBe(200);
  expect(await textOf(first.page, 'main .flash')).toBe('Conflict Tabs was saved.');
  await expectAccessible(first.page);

  await second.page.locator('#f-phone').fill('010-3333 4444');
  await second.page.locator('#f-address').fill('Haidian Road 5');
  expect(await submit(second.page, SAVE)).toBe(409);
  const page = second.page;
  expect(await textOf(page, '#conflict-title')).toBe('Someone else changed this record');
  expect(await textOf(page, '.conflict p')).toContain('(now version 2)');
  expect(await textsOf(page, '.conflict thead th')).toEqual(['Field', 'Your entry', 'Saved now']);
  const phoneRow = page.locator('.conflict tbody tr', { has: page.locator('th:text-is("Phone")') });
  expect(await textsOf(page, '.conflict tbody tr.changed th')).toEqual(['Phone', 'Address']);
  expect((await phoneRow.locator('td').allTextContents()).map((s) => s.trim())).toEqual([
    '010-3333 4444',
    '010-1111 2222',
  ]);
  // The form below still holds this tab's entries, now against the saved version.
  expect(await page.locator('#f-phone').inputValue()).toBe('010-3333 4444');
  expect(await page.locator('#f-address').inputValue()).toBe('Haidian Road 5');
  expect(await attrOf(page, 'input[name="version"]', 'value')).toBe('2');
  await expectAccessible(page);
  await screenshot(page, 'edit-conflict-en');

  // Having compared, the second tab saves again on purpose and replaces the first tab's phone.
  expect(await submit(page, SAVE)).toBe(200);
  expect(await textOf(page, 'main .flash')).toBe('Conflict Tabs was saved.');
  expect(await textOf(page, 'main')).toContain('010-3333 4444');
  await first.page.reload();
  expect(await textOf(first.page, 'main')).toContain('010-3333 4444');
  expect((await journey.app.db('students').where({ id: student.id }).first()).version).toBe(3);

  expect([...first.problems(), ...second.problems()]).toEqual([]);
  await context.close();
});
