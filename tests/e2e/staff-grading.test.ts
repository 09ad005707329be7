// A teacher's section, from empty to graded: staff enrol a whole class and single students by student
// number from the section page, meet a clear error for an unknown number, print the class roster, enter
// scores (one out of range, fixed in place), save and publish them; the same pages in Chinese. axe checks
// every page on the way.
import { createClass, createCourse, createSection, createStudent } from '../helpers/factories';
import { expectAccessible } from './support/accessibility';
import { signIn } from './support/browser';
import { attrOf, focusedId, follow, submit, textOf, textsOf } from './support/dom';
import { useJourney } from './support/journey';
import { screenshot } from './support/screenshots';

jest.setTimeout(120_000);

const journey = useJourney();

test('staff enrol a class and students by number, print the roster, and grade the section', async () => {
  const db = journey.app.db;
  const term = await db('terms').where({ current_marker: 1 }).first('id');
  const course = await createCourse(db, { code: 'E2EGRD1', name: 'Journey Grading', credits: 2 });
  // Sunday evening: no seeded section meets then, so no student's timetable clashes.
  const section = await createSection(db, {
    termId: term.id,
    courseId: course.id,
    capacity: 4,
    room: 'J-101',
    meetings: [{ day_of_week: 7, start_period: 11, end_period: 12 }],
  });
  const cls = await createClass(db);
  const members = [];
  for (const name of ['Ada Chen', 'Bo Li', 'Cai Wu']) members.push(await createStudent(db, { class_id: cls.id, name }));
  const single = await createStudent(db, { name: 'Dan Zhou' });
  const late = await createStudent(db, { name: 'Eva Sun' });
  const sectionPath = `/sections/${section.id}`;

  const context = await journey.context();
  const { page, problems } = await journey.page(context);
  await page.goto('/login');
  await signIn(page, 'staff');

  // The section, found in this term's list.
  await page.goto(`/sections?q=${course.code}`);
  await follow(page, `main a[href="${sectionPath}"]`);
  expect(await textOf(page, 'h1')).toContain('Journey Grading');
  expect(await textOf(page, '[data-roster-empty]')).toContain('Enrol a student or a whole class below.');
  await expectAccessible(page);

  // A whole class: the report, then everyone on the roster.
  await page.selectOption('#enrol-class', String(cls.id));
  await submit(page, 'form:has(#enrol-class) button[type="submit"]');
  expect(new URL(page.url()).pathname).toBe(sectionPath);
  expect(await textOf(page, '.flash')).toContain('3 enrolled, 0 on the waiting list, 0 refused.');
  const seated = await textsOf(page, '[data-roster-enrolled] tbody tr td:first-child');
  expect(seated).toEqual(members.map((m) => m.student_no).sort());
  expect(await textOf(page, '[data-roster-enrolled]')).toContain('Ada Chen');

  // One student by student number.
  await page.fill('#enrol-student', single.student_no);
  await submit(page, 'form[data-enrol-student] button[type="submit"]');
  expect(await textOf(page, '.flash')).toContain(`Dan Zhou (${single.student_no}) is enrolled in E2EGRD1`);
  expect(await textsOf(page, '[data-roster-enrolled] tbody tr')).toHaveLength(4);

  // An unknown number: the same page, 422, the field marked, described and focused, the value kept.
  await page.fill('#enrol-student', 'NO-SUCH-9');
  expect(await submit(page, 'form[data-enrol-student] button[type="submit"]')).toBe(422);
  expect(await textOf(page, '#enrol-student-error')).toContain('No student has this student number.');
  expect(await attrOf(page, '#enrol-student', 'aria-invalid')).toBe('true');
  expect(await attrOf(page, '#enrol-student', 'aria-describedby')).toContain('enrol-student-error');
  expect(await page.inputValue('#enrol-student')).toBe('NO-SUCH-9');
  expect(await focusedId(page)).toBe('enrol-student');
  await expectAccessible(page);

  // The section is full now: the next student gets a waiting-list place, shown in order.
  await page.fill('#enrol-student', late.student_no);
  await submit(page, 'form[data-enrol-student] button[type="submit"]');
  expect(await textOf(page, '.flash')).toContain(`Eva Sun (${late.student_no}) is number 1 on its waiting list.`);
  expect(await textOf(page, '[data-roster-waiting] tbody tr')).toContain(late.student_no);
  await expectAccessible(page);
  await screenshot(page, 'section-roster-en');

  // Removing her from the waiting list asks first.
  page.once('dialog', (dialog) => void dialog.accept());
  await submit(page, `[data-roster-waiting] form[action="${sectionPath}/enrolments/${late.id}/delete"] button`);
  expect(await textOf(page, '.flash')).toContain(`Eva Sun (${late.student_no}) was removed from the waiting list`);
  expect(await page.locator('[data-roster-waiting]').count()).toBe(0);

  // The printable roster: a print button from the script; printed, only the sheet is left.
  await follow(page, `main a[href="${sectionPath}/roster"]`);
  expect(await textOf(page, 'h1')).toBe('Class roster');
  expect(await textsOf(page, '[data-roster-table] tbody tr')).toHaveLength(4);
  expect(await textOf(page, '[data-roster-table] thead')).toContain('Signature');
  expect(await page.locator('[data-print]').isVisible()).toBe(true);
  await expectAccessible(page);
  await page.evaluate('window.print = () => { window.__printed = true; }');
  await page.click('[data-print]');
  expect(await page.evaluate('window.__printed === true')).toBe(true);
  await page.emulateMedia({ media: 'print' });
  expect(await page.locator('.site-header').isVisible()).toBe(false);
  expect(await page.locator('nav.sidenav').isVisible()).toBe(false);
  expect(await page.locator('[data-print]').isVisible()).toBe(false);
  expect(await page.locator('[data-roster-table]').isVisible()).toBe(true);
  expect(await page.evaluate("getComputedStyle(document.querySelector('[data-roster-table] thead')).display")).toBe(
    'table-header-group',
  );
  await screenshot(page, 'roster-print-en');
  await page.emulateMedia({ media: 'screen' });

  // The grade grid: one score out of range is refused in place.
  await page.goto(sectionPath);
  await follow(page, `main a[href="${sectionPath}/grades"]`);
  expect(await textOf(page, 'h1')).toContain('Grades: Journey Grading');
  await expectAccessible(page);
  const places = await db('enrolments as e')
    .join('students as s', 's.id', 'e.student_id')
    .where({ 'e.section_id': section.id, 'e.status': 'enrolled' })
    .select('e.id', 's.name');
  const cell = (name: string) => `#g-${places.find((p: { name: string }) => p.name === name)!.id}`;
  const scores: Record<string, string> = { 'Ada Chen': '88', 'Bo Li': '92.5', 'Cai Wu': '105', 'Dan Zhou': '60' };
  for (const [name, score] of Object.entries(scores)) await page.fill(cell(name), score);
  expect(await submit(page, 'form.grade-sheet button[type="submit"]')).toBe(422);
  const bad = cell('Cai Wu');
  expect(await attrOf(page, bad, 'aria-invalid')).toBe('true');
  const describedBy = (await attrOf(page, bad, 'aria-describedby'))!;
  expect(await textOf(page, `#${describedBy}`)).toContain('Enter a score from 0 to 100');
  expect(await focusedId(page)).toBe(bad.slice(1));
  expect(await page.inputValue(bad)).toBe('105');
  expect(await page.inputValue(cell('Bo Li'))).toBe('92.5');
  await expectAccessible(page);

  await page.fill(bad, '100');
  await submit(page, 'form.grade-sheet button[type="submit"]');
  expect(await textOf(page, '.flash')).toContain('Grades saved (4 changed).');
  for (const [name, score] of Object.entries({ ...scores, 'Cai Wu': '100' }))
    expect(Number(await page.inputValue(cell(name)))).toBe(Number(score));
  await expectAccessible(page);
  await screenshot(page, 'grades-grid-en');

  // Printed, the grid is a grade sheet: the table stays, the buttons and the header go.
  await page.emulateMedia({ media: 'print' });
  expect(await page.locator('.site-header').isVisible()).toBe(false);
  expect(await page.locator('table.grade-grid').isVisible()).toBe(true);
  expect(await page.locator('form.grade-sheet button[type="submit"]').isVisible()).toBe(false);
  await page.emulateMedia({ media: 'screen' });

  // The same pages in Chinese.
  await page.goto(`${sectionPath}?lang=zh-CN`);
  expect(await textOf(page, '#roster-title')).toBe('本教学班学生');
  expect(await textOf(page, '#enrol-title')).toBe('选课管理');
  await expectAccessible(page);
  await screenshot(page, 'section-roster-zh-CN');
  await page.goto(`${sectionPath}/grades`);
  expect(await textOf(page, 'h1')).toContain('成绩录入');
  await expectAccessible(page);
  await screenshot(page, 'grades-grid-zh-CN');
  await page.goto(`${sectionPath}/grades?lang=en`);

  // Publishing freezes the grid, after a confirmation that names the section.
  let asked = '';
  page.once('dialog', (dialog) => {
    asked = dialog.message();
    void dialog.accept();
  });
  await submit(page, `form[action="${sectionPath}/grades/lock"] button`);
  expect(asked).toMatch(/^Publish the grades of .+ to its students\?/);
  expect(await textOf(page, '.flash')).toContain('locked and published');
  expect(await page.locator(cell('Ada Chen')).isDisabled()).toBe(true);
  await expectAccessible(page);

  expect(problems()).toEqual([]);
  await context.close();
});
