// Keyboard-only steps and the check that whatever holds focus shows it: a ring (outline, or a box-shadow
// ring) that is really drawn, not clipped away by an ancestor, and that stands out at 3:1 (WCAG 1.4.11)
// against what is behind it.
import type { Page } from 'playwright-core';

export interface FocusState {
  /** A short description of the focused element, for failure messages. */
  element: string;
  tag: string;
  id: string;
  /** Why the focus is not visible; '' when it is. */
  problem: string;
}

/** Evaluated in the page: describes document.activeElement and whether its focus ring is visible. */
const INSPECT_FOCUS = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return { element: 'body', tag: 'body', id: '', problem: 'nothing is focused' };
  const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').replace(/\\s+/g, ' ').trim().slice(0, 40);
  const element = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.getAttribute('href') ? '[href="' + el.getAttribute('href') + '"]' : '') + (text ? ' "' + text + '"' : '');
  const parse = (c) => {
    const m = /rgba?\\(([\\d.]+),\\s*([\\d.]+),\\s*([\\d.]+)(?:,\\s*([\\d.]+))?\\)/.exec(c || '');
    return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])] : null;
  };
  const luminance = (rgb) => {
    const [r, g, b] = rgb.slice(0, 3).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  // The first opaque background behind the element's ring (its parent's, walking up to the canvas).
  const backdrop = (node) => {
    for (let n = node; n; n = n.parentElement) {
      const bg = parse(getComputedStyle(n).backgroundColor);
      if (bg && bg[3] >= 0.99) return bg;
    }
    return [255, 255, 255, 1];
  };
  const style = getComputedStyle(el);
  let colour = null; let reach = 0;
  if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) {
    colour = parse(style.outlineColor);
    reach = (parseFloat(style.outlineOffset) || 0) + parseFloat(style.outlineWidth);
  } else if (style.boxShadow && style.boxShadow !== 'none') {
    // Only a shadow ring drawn in a visible colour counts (the nav keeps a transparent one at rest).
    const rings = style.boxShadow.split(/,(?![^(]*\\))/).map((s) => s.trim())
      .filter((s) => { const c = parse(s); return c && c[3] > 0.5; });
    if (rings.length) { colour = parse(rings[0]); reach = /inset/.test(rings[0]) ? 0 : 2; }
  }
  // An SVG link (a chart bar) cannot take an outline; it shows focus by stroking the shape it holds.
  if (!colour && el instanceof SVGElement) {
    for (const shape of [el, ...el.querySelectorAll('*')]) {
      const st = getComputedStyle(shape);
      const c = st.stroke && st.stroke !== 'none' ? parse(st.stroke) : null;
      if (c && c[3] > 0.5 && parseFloat(st.strokeWidth) >= 2) { colour = c; break; }
    }
  }
  if (!colour) return { element, tag: el.tagName.toLowerCase(), id: el.id, problem: 'no outline or box-shadow focus ring (outline: ' + style.outlineStyle + ' ' + style.outlineWidth + ', box-shadow: ' + style.boxShadow + ')' };
  const behind = backdrop(el.parentElement || el);
  const ratio = contrast(colour, behind);
  if (ratio < 3) return { element, tag: el.tagName.toLowerCase(), id: el.id, problem: 'focus ring contrast ' + ratio.toFixed(2) + ':1 against its background (needs 3:1)' };
  // A ring an ancestor clips away is no ring. An element fully in view must show its whole ring; one a
  // scroller has moved partly out of view (a wide table) must still be mostly in view (WCAG 2.4.11), and
  // one scrolled entirely out of view fails.
  const r = el.getBoundingClientRect();
  const ring = { left: r.left - reach, top: r.top - reach, right: r.right + reach, bottom: r.bottom + reach };
  if (r.width === 0 || r.height === 0) return { element, tag: el.tagName.toLowerCase(), id: el.id, problem: 'the focused element has no size' };
  for (let n = el.parentElement; n && n !== document.documentElement; n = n.parentElement) {
    const s = getComputedStyle(n);
    if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
    const b = n.getBoundingClientRect();
    const x = s.overflowX !== 'visible'; const y = s.overflowY !== 'visible';
    const shownW = x ? Math.max(0, Math.min(r.right, b.right) - Math.max(r.left, b.left)) : r.width;
    const shownH = y ? Math.max(0, Math.min(r.bottom, b.bottom) - Math.max(r.top, b.top)) : r.height;
    const shown = (shownW * shownH) / (r.width * r.height);
    const where = n.tagName.toLowerCase() + '.' + n.className + ' (overflow ' + s.overflowX + '/' + s.overflowY + ')';
    if (shown < 0.5) return { element, tag: el.tagName.toLowerCase(), id: el.id, problem: Math.round(shown * 100) + '% of it is in view inside ' + where };
    if (shown < 0.999) continue;
    const clipsX = x && (ring.left < b.left - 1 || ring.right > b.right + 1);
    const clipsY = y && (ring.top < b.top - 1 || ring.bottom > b.bottom + 1);
    if (clipsX || clipsY) return { element, tag: el.tagName.toLowerCase(), id: el.id, problem: 'focus ring clipped by ' + where };
  }
  return { element, tag: el.tagName.toLowerCase(), id: el.id, problem: '' };
})()`;

export async function focusState(page: Page): Promise<FocusState> {
  return (await page.evaluate(INSPECT_FOCUS)) as FocusState;
}

/** Fails unless the focused element shows a visible, unclipped, contrasting focus ring. */
export async function expectVisibleFocus(page: Page): Promise<FocusState> {
  const state = await focusState(page);
  if (state.problem) throw new Error(`focus is not visible on ${state.element} at ${page.url()}: ${state.problem}`);
  return state;
}

/** Whether the focused element matches a CSS selector. */
export async function focusMatches(page: Page, selector: string): Promise<boolean> {
  return Boolean(
    await page.evaluate(
      `(() => { const el = document.activeElement; return !!el && el !== document.body && el.matches(${JSON.stringify(selector)}); })()`,
    ),
  );
}

/**
 * Presses Tab (or Shift+Tab) until the focused element matches `selector`, checking at every stop on the
 * way that focus is visible; fails after `limit` presses. Returns the stops it passed through.
 */
export async function tabTo(
  page: Page,
  selector: string,
  { back = false, limit = 60 }: { back?: boolean; limit?: number } = {},
): Promise<string[]> {
  const stops: string[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const state = await focusState(page);
    stops.push(state.element);
    // A date input's month/day/year parts are tab stops of one element; the page may also be scrolling.
    if (state.tag !== 'body' && state.problem) {
      throw new Error(`focus is not visible on ${state.element} at ${page.url()}: ${state.problem}`);
    }
    if (await focusMatches(page, selector)) return stops;
  }
  throw new Error(
    `${selector} was not reached in ${limit} ${back ? 'Shift+Tab' : 'Tab'} presses; passed ${stops.join(' → ')}`,
  );
}

/** Presses a key that leads to another page and waits for it; the new page's HTTP status is returned. */
export async function pressAndWait(page: Page, key: string): Promise<number> {
  const [response] = await Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
  return response?.status() ?? 0;
}

/**
 * Tabs through the whole page from the top until focus leaves it (or comes round to the skip link again),
 * failing at the first stop without a visible focus ring. Returns the stops visited.
 */
export async function walkTabStops(page: Page, limit = 400): Promise<string[]> {
  await page.evaluate('document.activeElement && document.activeElement.blur()');
  const stops: string[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (i > 0 && ((await focusMatches(page, 'a.skip-link')) || !(await focusMatches(page, '*')))) return stops;
    const state = await expectVisibleFocus(page);
    stops.push(state.element);
  }
  throw new Error(`still tabbing after ${limit} stops on ${page.url()}`);
}
