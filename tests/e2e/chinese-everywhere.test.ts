// Choosing 中文 turns every page the journeys visit into Chinese: no English interface string from the
// locale files is left on any of them (data such as codes, usernames and the node id is not interface
// text), the document says lang="zh-CN" and its title is Chinese. English pages likewise carry no Chinese
// interface string. Raw locale keys (a missing translation) fail both.
import type { Page } from 'playwright-core';
import { expectAccessible } from './support/accessibility';
import { signIn } from './support/browser';
import { attrOf, submit } from './support/dom';
import { useJourney } from './support/journey';
import { screenshot } from './support/screenshots';
import { findForeign, flatten, foreignStrings, pageTexts, tidy } from './support/ui-strings';
import { locales } from '../../src/i18n/i18n';

jest.setTimeout(120_000);

const journey = useJourney();

const ENGLISH_UI = foreignStrings('en');
const CHINESE_UI = foreignStrings('zh-CN');
const KEYS = new Set([...flatten(locales.en as never).keys(), ...flatten(locales['zh-CN'] as never).keys()]);
const CJK = /[\u3400-\u9fff]/;

type Lang = 'en' | 'zh-CN';
interface Visit {
  /** What the page is, for the failure list. */
  name: string;
  /** Brings the page up; returns the HTTP status it answered with. */
  open: (page: Page) => Promise<number>;
  axe?: boolean;
  shot?: string;
}

const go =
  (url: string) =>
  async (page: Page): Promise<number> =>
    (await page.goto(url))?.status() ?? 0;

/** What is wrong with the page in `lang`: the other language's interface strings, raw keys, lang, title. */
async function problemsOn(page: Page, lang: Lang): Promise<string[]> {
  const problems: string[] = [];
  const texts = await pageTexts(page);
  // DUMP_UI=1 prints every piece of the page in the other script, to spot text the locale files lack.
  if (process.env.DUMP_UI) {
    const other = lang === 'zh-CN' ? /[A-Za-z]{2,}/ : CJK;
    console.log(page.url() + '\n' + [...new Set(texts.filter((t) => other.test(t)))].join('\n'));
  }
  for (const hit of findForeign(texts, lang === 'zh-CN' ? ENGLISH_UI : CHINESE_UI)) problems.push(hit);
  for (const text of texts) if (KEYS.has(tidy(text))) problems.push(`raw locale key "${tidy(text)}"`);
  const htmlLang = await attrOf(page, 'html', 'lang');
  if (htmlLang !== lang) problems.push(`<html lang="${htmlLang}">`);
  const title = await page.title();
  if (lang === 'zh-CN' && !CJK.test(title)) problems.push(`title "${title}" has no Chinese`);
  return problems;
}

async function visitAll(page: Page, lang: Lang, visits: Visit[], found: string[]): Promise<void> {
  for (const visit of visits) {
    const status = await visit.open(page);
    const where = `${visit.name} (${new URL(page.url()).pathname}, ${status})`;
    for (const problem of await problemsOn(page, lang)) found.push(`${where}: ${problem}`);
    if (lang === 'zh-CN' && visit.axe) await expectAccessible(page);
    if (lang === 'zh-CN' && visit.shot) await screenshot(page, `${visit.shot}-zh-CN`);
  }
}

async function ids() {
  const db = journey.app.db;
  const student = await db('students').whereNull('deleted_at').orderBy('id').first('id');
  const course = await db('courses').orderBy('id').first('id');
  // The busiest section: a full roster and grade grid.
  const section = (await db('enrolments')
    .select('section_id')
    .count({ n: '*' })
    .groupBy('section_id')
    .orderBy('n', 'desc')
    .first()) as { section_id: number };
  const first = async (table: string) => (await db(table).orderBy('id').first('id')).id as number;
  return {
    student: student.id as number,
    course: course.id as number,
    section: section.section_id,
    department: await first('departments'),
    major: await first('majors'),
    klass: await first('classes'),
    staff: await first('staff'),
    term: await first('terms'),
  };
}

async function adminVisits(): Promise<Visit[]> {
  const id = await ids();
  return [
    { name: 'dashboard', open: go('/'), axe: true, shot: 'dashboard' },
    { name: 'students', open: go('/students'), axe: true, shot: 'students' },
    { name: 'archived students', open: go('/students?archived=1') },
    { name: 'students, nothing found', open: go('/students?q=zzzz-no-such-student') },
    { name: 'new student', open: go('/students/new') },
    {
      name: 'new student with errors',
      open: async (page) => {
        await page.goto('/students/new');
        return submit(page, 'main form.grid-form button[type="submit"]');
      },
      axe: true,
      shot: 'student-form-errors',
    },
    { name: 'student', open: go(`/students/${id.student}`), shot: 'student-detail' },
    { name: 'edit student', open: go(`/students/${id.student}/edit`) },
    { name: 'courses', open: go('/courses') },
    { name: 'new course', open: go('/courses/new') },
    { name: 'course', open: go(`/courses/${id.course}`) },
    { name: 'edit course', open: go(`/courses/${id.course}/edit`) },
    { name: 'sections', open: go('/sections'), shot: 'sections-staff' },
    { name: 'new section', open: go('/sections/new') },
    { name: 'section', open: go(`/sections/${id.section}`), axe: true },
    { name: 'edit section', open: go(`/sections/${id.section}/edit`) },
    { name: 'roster', open: go(`/sections/${id.section}/roster`) },
    { name: 'grade grid', open: go(`/sections/${id.section}/grades`), axe: true, shot: 'grades' },
    { name: 'departments', open: go('/departments') },
    { name: 'department', open: go(`/departments/${id.department}`) },
    { name: 'new department', open: go('/departments/new') },
    { name: 'majors', open: go('/majors') },
    { name: 'major', open: go(`/majors/${id.major}`) },
    { name: 'classes', open: go('/classes') },
    { name: 'class', open: go(`/classes/${id.klass}`) },
    { name: 'edit class', open: go(`/classes/${id.klass}/edit`) },
    { name: 'staff', open: go('/staff') },
    { name: 'staff member', open: go(`/staff/${id.staff}`) },
    { name: 'terms', open: go('/terms') },
    { name: 'term', open: go(`/terms/${id.term}`) },
    { name: 'users', open: go('/admin/users') },
    { name: 'new user', open: go('/admin/users/new') },
    { name: 'audit log', open: go('/admin/audit') },
    { name: 'cluster', open: go('/admin/cluster') },
    { name: 'change password', open: go('/account/password') },
    { name: 'not found', open: go('/no-such-page') },
    { name: 'unknown student', open: go('/students/999999999') },
  ];
}

const STUDENT_VISITS: Visit[] = [
  { name: 'my record', open: go('/me'), axe: true, shot: 'me' },
  { name: 'my profile', open: go('/me/profile') },
  { name: 'my transcript', open: go('/me/transcript'), axe: true, shot: 'transcript' },
  { name: 'course selection', open: go('/sections'), axe: true, shot: 'sections' },
  { name: 'a staff page, refused', open: go('/students') },
];

const SIGNED_OUT_VISITS: Visit[] = [
  { name: 'sign-in', open: go('/login') },
  {
    name: 'failed sign-in',
    open: async (page) => {
      await page.goto('/login');
      await page.locator('#f-username').fill('admin');
      await page.locator('#f-password').fill('not-the-password');
      return submit(page, 'form[action="/login"] button[type="submit"]');
    },
    axe: true,
  },
  {
    name: 'empty sign-in',
    open: async (page) => {
      await page.goto('/login');
      return submit(page, 'form[action="/login"] button[type="submit"]');
    },
  },
  { name: 'not found, signed out', open: go('/no-such-page') },
];

/** Every journey page in one language: signed out, then as admin, then as the student. */
async function everyPage(lang: Lang): Promise<string[]> {
  const found: string[] = [];
  const browserLocale = lang === 'zh-CN' ? 'zh-CN' : 'en-US';

  const anonymous = await journey.context(browserLocale);
  const { page: out } = await journey.page(anonymous);
  await out.goto(`/login?lang=${lang}`);
  await visitAll(out, lang, SIGNED_OUT_VISITS, found);
  await anonymous.close();

  const admin = await journey.context(browserLocale);
  const { page, problems } = await journey.page(admin);
  await page.goto(`/login?lang=${lang}`);
  await signIn(page, 'admin');
  await visitAll(page, lang, await adminVisits(), found);
  await admin.close();

  const studentContext = await journey.context(browserLocale);
  const { page: student, problems: studentProblems } = await journey.page(studentContext);
  await student.goto(`/login?lang=${lang}`);
  await signIn(student, 'student');
  await visitAll(student, lang, STUDENT_VISITS, found);
  await studentContext.close();

  expect([...problems(), ...studentProblems()].filter((p) => !/^(403|404) /.test(p))).toEqual([]);
  return found;
}

test('the interface strings it checks for are many (the locale files were read)', () => {
  expect(ENGLISH_UI.length).toBeGreaterThan(300);
  expect(CHINESE_UI.length).toBeGreaterThan(300);
  expect(ENGLISH_UI.map((s) => s.text)).toEqual(expect.arrayContaining(['Sign in', 'Students', 'Save']));
  expect(CHINESE_UI.map((s) => s.text)).toEqual(expect.arrayContaining(['登录', '学生', '保存']));
});

test('the check catches a forgotten English label, a tooltip, an option and a raw key on a Chinese page', async () => {
  const context = await journey.context('zh-CN');
  const { page } = await journey.page(context);
  await page.goto('/login?lang=zh-CN');
  expect(await problemsOn(page, 'zh-CN')).toEqual([]);
  await page.evaluate(`(() => {
    const main = document.querySelector('main');
    main.insertAdjacentHTML('beforeend',
      '<p>Save</p><span title="Change password">x</span><select><option>Any status</option></select><p>auth.sign_in</p>' +
      '<p lang="en">English, marked as such, is left alone</p>');
  })()`);
  const found = await problemsOn(page, 'zh-CN');
  expect(found).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^"Save" \(/),
      expect.stringMatching(/^"Change password" \(/),
      expect.stringMatching(/^"Any status" \(/),
      'raw locale key "auth.sign_in"',
    ]),
  );
  expect(found).toHaveLength(4);
  await context.close();
});

test('in 中文, no English interface string is left on any page of the journeys', async () => {
  expect(await everyPage('zh-CN')).toEqual([]);
});

test('in English, no Chinese interface string shows on those pages (Chinese names and titles are data)', async () => {
  expect(await everyPage('en')).toEqual([]);
});
