// One journey file's world: the app on its own database and one headless Chromium, both started before the
// file's tests and stopped after them. Each test opens its own context (a fresh browser profile).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type RunningApp, startApp } from './app-server';
import { launchBrowser, newContext, watchForPageErrors } from './browser';

// Fail a step in seconds rather than after playwright's 30 s default: every page here is local.
const STEP_TIMEOUT_MS = 10_000;

export interface Journey {
  app: RunningApp;
  browser: Browser;
  /** A new browser profile on the app (English unless a locale is given). */
  context: (locale?: string) => Promise<BrowserContext>;
  /** A new tab whose script errors and CSP refusals are collected; `problems()` lists them. */
  page: (context: BrowserContext) => Promise<{ page: Page; problems: () => string[] }>;
}

/** `env`: settings of the app for this file's journeys only (startApp). */
export function useJourney(options: { env?: Record<string, string> } = {}): Journey {
  const journey = {} as Journey;
  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([startApp({ env: options.env }), launchBrowser()]);
    if (started.status === 'rejected' || launched.status === 'rejected') {
      // Stop whichever half did start, so a missing /usr/bin/chromium fails the file instead of hanging it.
      if (started.status === 'fulfilled') await started.value.stop();
      if (launched.status === 'fulfilled') await launched.value.close();
      throw started.status === 'rejected' ? started.reason : (launched as PromiseRejectedResult).reason;
    }
    const [app, browser] = [started.value, launched.value];
    Object.assign(journey, {
      app,
      browser,
      context: async (locale?: string) => {
        const context = await newContext(browser, app.baseUrl, locale);
        context.setDefaultTimeout(STEP_TIMEOUT_MS);
        return context;
      },
      page: async (context: BrowserContext) => {
        const page = await context.newPage();
        return { page, problems: watchForPageErrors(page) };
      },
    });
  });
  afterAll(async () => {
    await journey.browser?.close();
    await journey.app?.stop();
  });
  return journey;
}
