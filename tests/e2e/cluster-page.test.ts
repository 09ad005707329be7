// The operator's cluster page refreshes itself, and the user can stop that (WCAG 2.2.1).
import { expectAccessible } from './support/accessibility';
import { signIn } from './support/browser';
import { useJourney } from './support/journey';

jest.setTimeout(60_000);

const journey = useJourney();

test('an admin sees this node up, and can pause and resume the automatic refresh', async () => {
  const context = await journey.context();
  const { page, problems } = await journey.page(context);
  await page.goto('/login');
  await signIn(page, 'admin');
  await page.goto('/admin/cluster');
  await expectAccessible(page);
  expect(await page.textContent('tbody')).toContain('Up');

  const toggle = page.locator('[data-refresh-toggle]');
  expect(await toggle.getAttribute('aria-pressed')).toBe('false');
  await toggle.click();
  expect(await toggle.getAttribute('aria-pressed')).toBe('true');
  expect((await toggle.textContent())?.trim()).toBe('Resume');
  // Paused: no reload happens past the 5-second interval (the same document keeps its marker).
  await page.evaluate('window.sisMarker = 42');
  await page.waitForTimeout(6_000);
  expect(await page.evaluate('window.sisMarker')).toBe(42);
  await toggle.click();
  expect(await toggle.getAttribute('aria-pressed')).toBe('false');
  expect(problems()).toEqual([]);
  await context.close();
});
