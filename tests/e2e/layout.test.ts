// The application shell holds on the screens people use: on a 1366 × 900 laptop the header is one line and
// the side navigation a column of its own, in English and in Chinese, for the admin (who has the most
// links); on a 390 × 844 phone no page scrolls sideways and the navigation opens from the menu button and
// closes with Escape. The row density a user picks holds on the next page.
import type { Page } from 'playwright-core';
import { expectAccessible } from './support/accessibility';
import { signIn } from './support/browser';
import { attrOf } from './support/dom';
import { useJourney } from './support/journey';
import { screenshot } from './support/screenshots';

jest.setTimeout(120_000);

const journey = useJourney();
const LAPTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
const ADMIN_PAGES = [
  '/',
  '/students',
  '/sections',
  '/courses',
  '/classes',
  '/terms',
  '/admin/users',
  '/admin/audit',
  '/admin/cluster',
];

interface Shape {
  where: string;
  /** The header's height and whether every item in it sits on its first line. */
  headerHeight: number;
  headerOneLine: boolean;
  /** The document's width beyond the window (a page that scrolls sideways). */
  sideways: number;
  sidenavShown: boolean;
  /** The side navigation beside the page (a column) rather than above it. */
  sidenavBeside: boolean;
  menuButtonShown: boolean;
}

const SHAPE = `(() => {
  const header = document.querySelector('header.site-header');
  const box = header.getBoundingClientRect();
  const items = [...header.children].filter((el) => el.checkVisibility());
  const firstTop = Math.min(...items.map((el) => el.getBoundingClientRect().top));
  const nav = document.getElementById('sidenav');
  const main = document.querySelector('main').getBoundingClientRect();
  const shown = (el) => !!el && el.checkVisibility();
  return {
    where: location.pathname,
    headerHeight: Math.round(box.height),
    headerOneLine: items.every((el) => el.getBoundingClientRect().top < firstTop + 24),
    sideways: document.documentElement.scrollWidth - window.innerWidth,
    sidenavShown: shown(nav),
    sidenavBeside: shown(nav) && nav.getBoundingClientRect().right <= main.left + 1,
    menuButtonShown: shown(document.querySelector('[data-menu-toggle]')),
  };
})()`;

async function shape(page: Page): Promise<Shape> {
  return (await page.evaluate(SHAPE)) as Shape;
}

async function signedIn(username: string, locale: string, viewport: { width: number; height: number }) {
  const context = await journey.context(locale);
  const { page, problems } = await journey.page(context);
  await page.setViewportSize(viewport);
  await page.goto('/login');
  await signIn(page, username);
  return { page, problems, close: () => context.close() };
}

for (const locale of ['en-US', 'zh-CN']) {
  test(`on a 1366 px laptop (${locale}) the header is one line and the navigation a column beside every admin page`, async () => {
    const { page, problems, close } = await signedIn('admin', locale, LAPTOP);
    for (const path of ADMIN_PAGES) {
      await page.goto(path);
      const seen = await shape(page);
      expect(seen).toEqual({
        where: path,
        headerHeight: expect.any(Number),
        headerOneLine: true,
        sideways: 0,
        sidenavShown: true,
        sidenavBeside: true,
        menuButtonShown: false,
      });
      // One line of controls: the header's own height (3.25rem) and no more.
      expect([path, seen.headerHeight <= 64]).toEqual([path, true]);
    }
    await page.goto('/students');
    await screenshot(page, `layout-desktop-${locale}`);
    expect(problems()).toEqual([]);
    await close();
  });
}

test('on a phone no admin page scrolls sideways; the menu button opens the navigation and Escape closes it', async () => {
  const { page, problems, close } = await signedIn('admin', 'zh-CN', PHONE);
  for (const path of ADMIN_PAGES) {
    await page.goto(path);
    const seen = await shape(page);
    expect(seen).toEqual({
      where: path,
      headerHeight: expect.any(Number),
      headerOneLine: true,
      sideways: 0,
      sidenavShown: false,
      sidenavBeside: false,
      menuButtonShown: true,
    });
  }
  await page.goto('/students');
  await screenshot(page, 'layout-phone-zh-CN');
  const toggle = 'header [data-menu-toggle]';
  expect(await attrOf(page, toggle, 'aria-expanded')).toBe('false');
  await page.locator(toggle).click();
  expect(await attrOf(page, toggle, 'aria-expanded')).toBe('true');
  expect((await shape(page)).sidenavShown).toBe(true);
  expect(await page.locator('nav.sidenav a[href="/students"]').getAttribute('aria-current')).toBe('page');
  await expectAccessible(page);
  await screenshot(page, 'layout-phone-menu-zh-CN');
  await page.keyboard.press('Escape');
  expect(await attrOf(page, toggle, 'aria-expanded')).toBe('false');
  expect((await shape(page)).sidenavShown).toBe(false);
  expect(await page.evaluate('document.activeElement.hasAttribute("data-menu-toggle")')).toBe(true);
  // Opened again, a link in it leads on.
  await page.locator(toggle).click();
  await Promise.all([page.waitForNavigation(), page.locator('nav.sidenav a[href="/admin/audit"]').click()]);
  expect(new URL(page.url()).pathname).toBe('/admin/audit');
  expect(problems()).toEqual([]);
  await close();
});

test('compact rows: the toolbar switch tightens every table and holds on the next page', async () => {
  const { page, problems, close } = await signedIn('staff', 'en-US', LAPTOP);
  await page.goto('/students');
  const rowHeight = () =>
    page.evaluate('document.querySelector("main table tbody tr").getBoundingClientRect().height') as Promise<number>;
  const comfortable = await rowHeight();
  const toggle = 'main [data-density-toggle]';
  expect(await attrOf(page, toggle, 'aria-pressed')).toBe('false');
  await page.locator(toggle).click();
  expect(await attrOf(page, toggle, 'aria-pressed')).toBe('true');
  expect(await page.evaluate('document.documentElement.getAttribute("data-density")')).toBe('compact');
  expect(await rowHeight()).toBeLessThan(comfortable - 4);
  // The next page is drawn compact from the start, its switch already pressed.
  await page.goto('/courses');
  expect(await page.evaluate('document.documentElement.getAttribute("data-density")')).toBe('compact');
  expect(await attrOf(page, toggle, 'aria-pressed')).toBe('true');
  await page.locator(toggle).click();
  await page.goto('/students');
  expect(await page.evaluate('document.documentElement.hasAttribute("data-density")')).toBe(false);
  expect(problems()).toEqual([]);
  await close();
});
