// What the user sees, read off the page for jest's own expect (playwright-core ships no assertions).
// Pages are server-rendered and each step waits for its navigation, so a read needs no retrying.
import type { Page } from 'playwright-core';

const squash = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

/** The visible text of the first match, whitespace collapsed. */
export async function textOf(page: Page, selector: string): Promise<string> {
  return squash(await page.locator(selector).first().textContent());
}

/** The visible texts of every match. */
export async function textsOf(page: Page, selector: string): Promise<string[]> {
  return (await page.locator(selector).allTextContents()).map(squash);
}

export function attrOf(page: Page, selector: string, name: string): Promise<string | null> {
  return page.locator(selector).first().getAttribute(name);
}

/** The id of the element holding keyboard focus ('' when none has one). */
export async function focusedId(page: Page): Promise<string> {
  return String(await page.evaluate('document.activeElement ? document.activeElement.id : ""'));
}

/** Clicks what submits a form and waits for the page it leads to; its HTTP status is returned. */
export async function submit(page: Page, selector: string): Promise<number> {
  const [response] = await Promise.all([page.waitForNavigation(), page.locator(selector).first().click()]);
  return response?.status() ?? 0;
}

/** Follows a link and waits for the next page. */
export async function follow(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.locator(selector).first().click()]);
}
