// The journeys' accessibility check is a real gate: a page with a serious violation fails it, and the
// failure names the rule, its impact, the help text and the offending element.
import { expectAccessible } from './support/accessibility';
import { useJourney } from './support/journey';

jest.setTimeout(60_000);

const journey = useJourney();

test('a form field that loses its label fails the accessibility check, naming the field', async () => {
  const context = await journey.context();
  const { page } = await journey.page(context);
  await page.goto('/login');
  await expectAccessible(page);

  await page.evaluate('document.querySelector(\'label[for="f-username"]\').remove()');
  const failure = await expectAccessible(page).then(
    () => 'passed',
    (err: Error) => err.message,
  );
  expect(failure).toContain('serious or critical accessibility violation(s) on');
  expect(failure).toMatch(/- label \(critical\): Form elements must have labels <https:\/\/\S+>/);
  expect(failure).toContain('at #f-username');
  await context.close();
});
