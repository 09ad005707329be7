// `npm run docs:screenshots`: the README's pictures, taken from the real pages of a fresh demo app in
// Debian's headless Chromium (the same harness as the browser journeys), in English and Chinese.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startApp } from '../tests/e2e/support/app-server';
import { launchBrowser, newContext, signIn } from '../tests/e2e/support/browser';

const OUT = path.resolve(__dirname, '../docs/screenshots');
const LANGS = ['en', 'zh-CN'] as const;

interface Shot {
  name: string;
  user: 'admin' | 'staff' | 'student' | null;
  /** Where to go; `{section}` is the scored section with the most grades. */
  path: string;
  /** Optional step on the page before the picture (e.g. submit an empty form to show its errors). */
  act?: (page: Page) => Promise<void>;
  /** Taken on a phone (390 × 844) instead of a laptop (1366 × 900); the file is named `<name>-<lang>`. */
  phone?: boolean;
}

const LAPTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

const SHOTS: Shot[] = [
  { name: 'dashboard', user: 'staff', path: '/' },
  {
    name: 'student-form-errors',
    user: 'staff',
    path: '/students/new',
    act: async (page) => {
      await Promise.all([page.waitForNavigation(), page.locator('main form button[type="submit"]').first().click()]);
    },
  },
  { name: 'course-selection', user: 'student', path: '/sections' },
  { name: 'my-record', user: 'student', path: '/me' },
  {
    name: 'grades-grid',
    user: 'staff',
    path: '/sections/{section}/grades',
    // The grid's last rows with the grade distribution under them.
    act: async (page) => {
      await page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
    },
  },
  { name: 'cluster', user: 'admin', path: '/admin/cluster' },
  { name: 'students', user: 'admin', path: '/students' },
  { name: 'audit', user: 'admin', path: '/admin/audit' },
  { name: 'dashboard-phone', user: 'staff', path: '/', phone: true },
  { name: 'course-selection-phone', user: 'student', path: '/sections', phone: true },
  { name: 'my-record-phone', user: 'student', path: '/me', phone: true },
  {
    name: 'menu-phone',
    user: 'staff',
    path: '/students',
    phone: true,
    act: async (page) => {
      await page.locator('header [data-menu-toggle]').click();
    },
  },
];

async function take(browser: Browser, baseUrl: string, section: number, shot: Shot, lang: string): Promise<string> {
  const context = await newContext(browser, baseUrl, lang === 'en' ? 'en-US' : 'zh-CN');
  try {
    const page = await context.newPage();
    await page.setViewportSize(shot.phone ? PHONE : LAPTOP);
    await page.goto(`/login?lang=${lang}`);
    if (shot.user) await signIn(page, shot.user);
    await page.goto(shot.path.replace('{section}', String(section)));
    if (shot.act) await shot.act(page);
    const file = path.join(OUT, `${shot.name}-${lang}.png`);
    await page.screenshot({ path: file, fullPage: false });
    return file;
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  // As many students as `npm start` seeds, so the dashboard's figures look like the first minute's.
  const app = await startApp({ students: 200 });
  const browser = await launchBrowser();
  try {
    // The scored section with the most grades (a past term's), so the grid and its chart have something to show.
    const section = await app
      .db('grades as g')
      .join('enrolments as e', 'e.id', 'g.enrolment_id')
      .join('sections as s', 's.id', 'e.section_id')
      .join('courses as c', 'c.id', 's.course_id')
      .where('c.grading', 'score')
      .groupBy('e.section_id')
      .orderByRaw('count(*) desc')
      .first({ id: 'e.section_id' });
    for (const shot of SHOTS) {
      for (const lang of LANGS) {
        const file = await take(browser, app.baseUrl, Number(section.id), shot, lang);
        console.log(`${path.relative(process.cwd(), file)} (${Math.round(fs.statSync(file).size / 1024)} kB)`);
      }
    }
  } finally {
    await browser.close();
    await app.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
