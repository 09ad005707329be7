// On a phone (390 × 844 CSS pixels) the pages fit the screen: the page itself never scrolls sideways
// (a wide table may scroll inside its own wrapper), the header keeps to one line with every control in it
// on screen, and the side navigation opens from the header's menu button.
import type { Page } from 'playwright-core';
import { expectAccessible } from './support/accessibility';
import { signIn } from './support/browser';
import { attrOf } from './support/dom';
import { tabTo } from './support/focus';
import { useJourney } from './support/journey';
import { screenshot } from './support/screenshots';

jest.setTimeout(90_000);

const journey = useJourney();
const PHONE = { width: 390, height: 844 };

interface Fit {
  scrollWidth: number;
  innerWidth: number;
  /** Elements sticking out past the right edge that no scrolling wrapper holds. */
  overflowing: string[];
  /** Header links and buttons that are not fully on screen or not shown. */
  hiddenNav: string[];
  /** Whether everything in the header sits on one line. */
  headerOneLine: boolean;
}

const MEASURE = `(() => {
  const width = window.innerWidth;
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  // Whether a scrolling (or clipping) box holds the element. An absolutely positioned element escapes
  // every such box below its containing block, and a fixed one escapes them all.
  const scrolledInside = (el) => {
    const position = getComputedStyle(el).position;
    if (position === 'fixed') return false;
    let start = el.parentElement;
    if (position === 'absolute') {
      start = el.offsetParent;
      if (!start || start === document.body) return false;
    }
    for (let n = start; n && n !== document.body; n = n.parentElement) {
      const o = getComputedStyle(n).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return true;
    }
    return false;
  };
  const overflowing = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1 || scrolledInside(el)) continue;
    // Report the outermost offender only.
    if (el.parentElement && el.parentElement.getBoundingClientRect().right > width + 1 && !scrolledInside(el.parentElement) && el.parentElement !== document.body) continue;
    overflowing.push(describe(el) + ' (right edge ' + Math.round(r.right) + 'px)');
  }
  const hiddenNav = [];
  for (const a of document.querySelectorAll('header a, header button')) {
    const r = a.getBoundingClientRect();
    const shown = a.checkVisibility({ visibilityProperty: true, opacityProperty: true });
    if (!shown || r.width === 0 || r.left < -1 || r.right > width + 1) hiddenNav.push(describe(a) + ' "' + a.textContent.trim() + '"');
  }
  const header = document.querySelector('header.site-header').getBoundingClientRect();
  const items = [...document.querySelectorAll('header.site-header > *')].filter((el) => el.checkVisibility());
  const headerOneLine = items.every((el) => el.getBoundingClientRect().bottom <= header.top + 64);
  return { scrollWidth: document.documentElement.scrollWidth, innerWidth: width, overflowing, hiddenNav, headerOneLine };
})()`;

async function expectFits(page: Page): Promise<void> {
  const fit = (await page.evaluate(MEASURE)) as Fit;
  const where = new URL(page.url()).pathname;
  expect({ where, ...fit, fits: fit.scrollWidth <= fit.innerWidth + 1 }).toEqual({
    where,
    scrollWidth: fit.scrollWidth,
    innerWidth: fit.innerWidth,
    overflowing: [],
    hiddenNav: [],
    headerOneLine: true,
    fits: true,
  });
}

async function onPhone(
  username: string,
): Promise<{ page: Page; problems: () => string[]; close: () => Promise<void> }> {
  const context = await journey.context();
  const { page, problems } = await journey.page(context);
  await page.setViewportSize(PHONE);
  await page.goto('/login');
  await expectFits(page);
  await signIn(page, username);
  return { page, problems, close: () => context.close() };
}

test('a student on a phone: their record, transcript, profile and course selection fit the screen', async () => {
  const { page, problems, close } = await onPhone('student');
  for (const { url, shot } of [
    { url: '/me', shot: 'me-phone' },
    { url: '/me/transcript', shot: '' },
    { url: '/me/profile', shot: '' },
    { url: '/sections', shot: 'sections-phone' },
  ]) {
    await page.goto(url);
    await expectFits(page);
    await expectAccessible(page);
    if (shot) await screenshot(page, shot);
  }
  // A transcript table wider than the phone scrolls in its wrapper, which the keyboard can reach and scroll.
  await page.goto('/me/transcript');
  // It says so above it, in the page's language.
  expect(await page.locator('main .scroll-hint + .table-wrap[data-scroll-stop]').count()).toBeGreaterThan(0);
  expect(await page.locator('main .scroll-hint').first().textContent()).toBe(
    'Scroll sideways to see the whole table →',
  );
  await tabTo(page, 'main .table-wrap[data-scroll-stop]');
  expect(await attrOf(page, 'main .table-wrap[data-scroll-stop]', 'role')).toBe('region');
  const wrap = page.locator('main .table-wrap[data-scroll-stop]').first();
  expect(await wrap.getAttribute('aria-label')).toBeTruthy();
  await page.keyboard.press('ArrowRight');
  // Scrolling is smooth-free but asynchronous: read it until it moves (page.waitForFunction needs eval).
  let scrolled = 0;
  for (let i = 0; i < 20 && scrolled === 0; i++) {
    scrolled = Number(await page.evaluate('document.activeElement.scrollLeft'));
    if (scrolled === 0) await page.waitForTimeout(50);
  }
  expect(scrolled).toBeGreaterThan(0);

  // The navigation waits behind the menu button; opened, its links are there to tap, and one takes the
  // student back to their record.
  expect(await page.locator('nav.sidenav').isVisible()).toBe(false);
  await page.locator('header [data-menu-toggle]').click();
  expect(await attrOf(page, 'header [data-menu-toggle]', 'aria-expanded')).toBe('true');
  await expectFits(page);
  await Promise.all([page.waitForNavigation(), page.locator('nav.sidenav a[href="/me"]').click()]);
  expect(new URL(page.url()).pathname).toBe('/me');
  expect(problems()).toEqual([]);
  await close();
});

test('staff on a phone: the dashboard, the student list, a record and its form fit the screen; wide tables scroll in place', async () => {
  const { page, problems, close } = await onPhone('staff');
  // The dashboard, with every chart's figures opened as a table.
  expect(new URL(page.url()).pathname).toBe('/');
  for (const summary of await page.locator('main details.chart-table > summary').all()) await summary.click();
  await expectFits(page);
  await expectAccessible(page);
  await screenshot(page, 'dashboard-phone');
  await page.goto('/students');
  await expectFits(page);
  await expectAccessible(page);
  await screenshot(page, 'students-phone');
  // The table keeps its columns and scrolls inside its own wrapper, not the page.
  const wrap = page.locator('main .table-wrap').first();
  expect(await wrap.evaluate((el) => el.ownerDocument.defaultView?.getComputedStyle(el).overflowX)).toMatch(
    /auto|scroll/,
  );

  const first = page.locator('main table tbody a[href^="/students/"]').first();
  await Promise.all([page.waitForNavigation(), first.click()]);
  await expectFits(page);
  await page.goto('/students/new');
  await expectFits(page);
  expect(problems()).toEqual([]);
  await close();
});
