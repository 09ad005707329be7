// Debian's headless Chromium driven by playwright-core (no browser is ever downloaded), one browser per
// journey file, and the page-level checks every journey shares.
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from './app-server';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** A fresh browser profile (own cookies) speaking English unless told otherwise, with the app's real CSP. */
export function newContext(browser: Browser, baseURL: string, locale = 'en-US'): Promise<BrowserContext> {
  return browser.newContext({ baseURL, locale, viewport: { width: 1280, height: 900 } });
}

/**
 * Collects what a user would never see but a broken page shows: script errors, Content-Security-Policy
 * refusals (an inline script or style slipped into a view) and stylesheets or scripts that fail to load.
 * Chromium also logs every 4xx page as "Failed to load resource": the journeys assert those statuses
 * themselves (a 422 form, a 409 conflict), and a stray /favicon.ico request is ignored (pages link /static/favicon.svg).
 */
export function watchForPageErrors(page: Page): () => string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`script error: ${err.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error' || message.text().startsWith('Failed to load resource:')) return;
    problems.push(`console error on ${page.url()}: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() < 400 || response.request().resourceType() === 'document') return;
    if (response.url().endsWith('/favicon.ico')) return;
    problems.push(`${response.status()} for ${response.url()} on ${page.url()}`);
  });
  return () => problems;
}

/** Signs in through the login form as a user would; ends on the page the app redirects to. */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  if (!new URL(page.url(), 'http://x').pathname.startsWith('/login')) await page.goto('/login');
  await page.locator('#f-username').fill(username);
  await page.locator('#f-password').fill(password);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== '/login'),
    page.locator('form[action="/login"] button[type="submit"]').click(),
  ]);
}
