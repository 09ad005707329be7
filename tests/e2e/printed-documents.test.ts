// The transcript and the class roster as they come out of the printer: Chromium prints each page to PDF
// with its own print stylesheet (A4 from @page) and the PDF's text is read back, page by page. Every page
// carries its number ("2 / 3") at the foot; the first the university's name, the document's title and
// who or what it is about; a long table runs on from page to page (no half page left empty before it)
// with its header row repeated on each; the signature and seal block ends the document on one page.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { DEFAULT_UNIVERSITY_NAME, DEFAULT_UNIVERSITY_NAME_EN } from '../../src/config';
import { DEFAULT_TIME_ZONE, formatterFor } from '../../src/i18n/format';
import {
  createClass,
  createCourse,
  createSection,
  createStudent,
  createTerm,
  createUser,
  insertEnrolment,
  insertGrade,
  lockGrades,
} from '../helpers/factories';
import { expectAccessible } from './support/accessibility';
import { signIn } from './support/browser';
import { useJourney } from './support/journey';
import { pdfPageTexts } from './support/pdf-text';

jest.setTimeout(120_000);

// Making 60 students and 48 published grades runs in this process, like the app: its synchronous SQLite
// writes stall the event loop, which is why the journeys' app does not shed on lag (support/app-server.ts).
const journey = useJourney();
const PDF_DIR = path.resolve(__dirname, '../../reports/pdf');

/** Prints the page as the browser's Print command would (print media, the page size @page asks for). */
async function printPages(page: Page, name: string): Promise<string[]> {
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  fs.mkdirSync(PDF_DIR, { recursive: true });
  fs.writeFileSync(path.join(PDF_DIR, `${name}.pdf`), pdf);
  return pdfPageTexts(pdf);
}

/**
 * How the document's tables are ruled on paper: lists the cells without a rule on each side, tables whose
 * header row would not repeat, and framed boxes round a table (a frame broken by a page turns into two open
 * boxes). Empty when every table is ruled cell by cell.
 */
async function openRules(page: Page): Promise<string[]> {
  await page.emulateMedia({ media: 'print' });
  const found = (await page.evaluate(`(() => {
    const out = [];
    for (const table of document.querySelectorAll('main table')) {
      if (getComputedStyle(table).borderCollapse !== 'collapse') out.push('a table with separate borders');
      const head = table.tHead;
      if (!head || getComputedStyle(head).display !== 'table-header-group') out.push('a table whose header does not repeat');
      for (const cell of table.querySelectorAll('th, td')) {
        const st = getComputedStyle(cell);
        for (const side of ['Top', 'Right', 'Bottom', 'Left']) {
          if (st['border' + side + 'Style'] === 'none' || parseFloat(st['border' + side + 'Width']) === 0)
            out.push('a cell without its ' + side.toLowerCase() + ' rule: ' + cell.textContent.trim().slice(0, 20));
        }
        if (!['avoid'].includes(getComputedStyle(cell.parentElement).breakInside)) out.push('a row that may split');
      }
      for (let n = table; n && n !== document.body; n = n.parentElement) {
        const st = getComputedStyle(n);
        if (n !== table && parseFloat(st.borderTopWidth) > 0 && parseFloat(st.borderBottomWidth) > 0)
          out.push('a frame round a table: ' + n.tagName.toLowerCase() + '.' + n.className);
        if (st.breakInside === 'avoid') out.push('a table kept on one page by ' + n.tagName.toLowerCase() + '.' + n.className);
      }
    }
    return out;
  })()`)) as string[];
  await page.emulateMedia({ media: null }); // back to the screen, which page.pdf() prints as print media
  return [...new Set(found)];
}

const linesOf = (text: string) => text.split('\n');
const pagesWith = (pages: string[], text: string) => pages.flatMap((p, i) => (p.includes(text) ? [i + 1] : []));

/** Each page's last line is its number out of all of them, and there are `min` pages or more. */
function expectNumbered(pages: string[], min: number): void {
  expect(pages.length).toBeGreaterThanOrEqual(min);
  expect(pages.map((p) => linesOf(p).at(-1))).toEqual(pages.map((_, i) => `${i + 1} / ${pages.length}`));
}

/** The signature and seal block: all of it on the last page and nowhere else. */
function expectSignatureBlockAtEnd(pages: string[], labels: string[]): void {
  const last = pages.length;
  for (const label of labels) expect(pagesWith(pages, label)).toContain(last);
  expect(pagesWith(pages, labels[0]!)).toEqual([last]);
  expect(pagesWith(pages, labels.at(-1)!)).toEqual([last]);
}

test('a class roster of 60 prints as numbered A4 pages, its header row on each, signatures at the end', async () => {
  const db = journey.app.db;
  const term = await db('terms').where({ current_marker: 1 }).first('id');
  const course = await createCourse(db, { code: 'E2EPRT1', name: '印刷概论', name_en: 'Printing Basics', credits: 2 });
  const section = await createSection(db, { termId: term.id, courseId: course.id, capacity: 80, room: 'P-101' });
  const cls = await createClass(db);
  const students = [];
  for (let i = 0; i < 60; i++) {
    const student = await createStudent(db, { class_id: cls.id, name: `Printed Student ${i + 1}` });
    await insertEnrolment(db, section.id, student.id, 'enrolled');
    students.push(student);
  }

  const context = await journey.context();
  const { page, problems } = await journey.page(context);
  await page.goto('/login');
  await signIn(page, 'staff');
  await page.goto(`/sections/${section.id}/roster`);
  await expectAccessible(page); // the screen page
  expect(await page.locator('[data-signature-block]').isVisible()).toBe(false); // paper only
  expect(await openRules(page)).toEqual([]);
  const pages = await printPages(page, 'class-roster-en');

  expectNumbered(pages, 2);
  const first = linesOf(pages[0]!);
  expect(first[0]).toBe(DEFAULT_UNIVERSITY_NAME_EN);
  expect(first[1]).toBe('Class roster');
  expect(pages[0]).toContain('E2EPRT1 Printing Basics');
  expect(pages[0]).toContain(`Printed on ${formatterFor('en', DEFAULT_TIME_ZONE).date(new Date())}`);
  for (const p of pages.slice(1)) expect(p).not.toContain(DEFAULT_UNIVERSITY_NAME_EN); // the head is printed once

  // The header row opens the table on every page; every student's row is printed once, whole, in order.
  const header = 'No. Student number Name Class Signature Attendance';
  for (const p of pages) expect(linesOf(p)).toContain(header);
  const rowsPerPage = pages.map((p) => linesOf(p).filter((line) => /^\d+ \S+ Printed Student \d+/.test(line)));
  expect(rowsPerPage.flat()).toEqual(
    students.map((s, i) => expect.stringMatching(new RegExp(`^${i + 1} ${s.student_no} Printed Student ${i + 1}\\b`))),
  );
  for (const [i, rows] of rowsPerPage.entries()) {
    const lines = linesOf(pages[i]!);
    expect(lines.indexOf(header)).toBeLessThan(lines.indexOf(rows[0]!));
  }
  // No page is left half empty: the table starts under the head on page 1, and every full page is full.
  expect(rowsPerPage[0]!.length).toBeGreaterThanOrEqual(15);
  for (const rows of rowsPerPage.slice(1, -1)) expect(rows.length).toBeGreaterThanOrEqual(20);

  expectSignatureBlockAtEnd(pages, ['Prepared by', 'Date', 'Seal']);
  expect(linesOf(pages.at(-1)!)).toContain('60 students enrolled');
  expect(problems()).toEqual([]);
  await context.close();
});

test('a student’s transcript prints in Chinese with the university’s name, numbered pages and a seal block', async () => {
  const db = journey.app.db;
  const student = await createStudent(db, { name: '印小明' });
  const user = await createUser(db, 'student', { studentId: student.id });
  // Four terms of twelve courses: more than one page, so a term's table runs over a page break.
  for (let t = 0; t < 4; t++) {
    const term = await createTerm(db, { name: `第${t + 1}学期（打印）`, academic_year: `${2020 + t}-${2021 + t}` });
    for (let c = 0; c < 12; c++) {
      const course = await createCourse(db, { code: `ZPR${t}${String(c).padStart(2, '0')}`, name: `课程${t}-${c}` });
      const section = await createSection(db, { termId: term.id, courseId: course.id });
      const enrolment = await insertEnrolment(db, section.id, student.id);
      await insertGrade(db, enrolment.id, { score: 70 + c });
      await lockGrades(db, section.id);
    }
  }

  const context = await journey.context('zh-CN');
  const { page, problems } = await journey.page(context);
  await page.goto('/login');
  await signIn(page, user.username, user.password);
  await page.goto('/me/transcript');
  await expectAccessible(page);
  expect(await openRules(page)).toEqual([]);
  const pages = await printPages(page, 'transcript-zh-CN');

  expectNumbered(pages, 2);
  const first = linesOf(pages[0]!);
  expect(first[0]).toBe(DEFAULT_UNIVERSITY_NAME);
  expect(first[1]).toBe('学业成绩单');
  expect(pages[0]).toContain('印小明');
  expect(pages[0]).toContain(student.student_no);
  expect(pages[0]).toContain(`打印日期 ${formatterFor('zh-CN', DEFAULT_TIME_ZONE).date(new Date())}`);

  // Each page that holds course rows has the table's header row above them; all 48 courses are printed.
  const header = '课程代码 课程 学分 成绩 绩点';
  const courseRows = pages.map((p) => linesOf(p).filter((line) => /^ZPR\d{3} /.test(line)));
  expect(courseRows.flat()).toHaveLength(48);
  for (const [i, rows] of courseRows.entries()) {
    if (rows.length === 0) continue;
    const lines = linesOf(pages[i]!);
    expect(lines.indexOf(header)).toBeGreaterThan(-1);
    expect(lines.indexOf(header)).toBeLessThan(lines.indexOf(rows[0]!));
  }
  // No page is left half empty: a term's table that does not fit runs over onto the next page.
  expect(courseRows[0]!.length).toBeGreaterThanOrEqual(12);
  const split = [1, 2, 3].filter(
    (t) => courseRows.filter((rows) => rows.some((r) => r.startsWith(`ZPR${t}`))).length > 1,
  );
  expect(split.length).toBeGreaterThan(0);

  expectSignatureBlockAtEnd(pages, ['经办人', '签名', '日期', '盖章处']);
  expect(problems()).toEqual([]);
  await context.close();
});
