// A student's term: selects a course, is told clearly that a full section only offers a waiting place,
// drops a course, reads grades, GPA and the transcript, and corrects their phone number. axe checks
// every page on the way.
import { createSection, createStudent, insertEnrolment } from '../helpers/factories';
import { expectAccessible } from './support/accessibility';
import { signIn } from './support/browser';
import { follow, submit, textOf } from './support/dom';
import { useJourney } from './support/journey';
import { screenshot } from './support/screenshots';

jest.setTimeout(90_000);

const journey = useJourney();

test('a student selects, is refused a full section clearly, drops, and reads their record', async () => {
  const db = journey.app.db;
  const term = await db('terms').where({ current_marker: 1 }).first('id');
  // Sunday evening: no seeded section meets then, so nothing clashes with the student's timetable.
  const open = await createSection(db, {
    termId: term.id,
    capacity: 5,
    meetings: [{ day_of_week: 7, start_period: 11, end_period: 12 }],
  });
  const full = await createSection(db, {
    termId: term.id,
    capacity: 1,
    meetings: [{ day_of_week: 7, start_period: 9, end_period: 10 }],
  });
  await insertEnrolment(db, full.id, (await createStudent(db)).id, 'enrolled');
  const openCourse = await db('courses').where({ id: open.courseId }).first('code', 'name');
  const fullCourse = await db('courses').where({ id: full.courseId }).first('code', 'name');

  const context = await journey.context();
  const { page, problems } = await journey.page(context);
  await page.goto('/login');
  await signIn(page, 'student');
  expect(page.url()).toMatch(/\/me$/);
  expect(await textOf(page, 'main')).toContain('Overall GPA');
  await expectAccessible(page);
  await screenshot(page, 'me-en');

  await follow(page, 'nav.sidenav a[href="/sections"]');
  await expectAccessible(page);
  await submit(page, `form[action="/sections/${open.id}/enrolments"] button`);
  expect(await textOf(page, '.flash')).toContain(`You are enrolled in ${openCourse.code}`);

  await submit(page, `form[action="/sections/${full.id}/enrolments"] button`);
  const refusal = await textOf(page, '.flash');
  expect(refusal).toContain(`${fullCourse.code}`);
  expect(refusal).toContain('is full. You are number 1 on its waiting list.');
  expect(await textOf(page, 'main')).toContain('Waiting list: #1');
  await expectAccessible(page);
  await screenshot(page, 'selection-en');

  const studentId = (await db('users').where({ username: 'student' }).first('student_id')).student_id;
  page.once('dialog', (dialog) => void dialog.accept());
  await submit(page, `form[action="/sections/${open.id}/enrolments/${studentId}/delete"] button`);
  expect(await textOf(page, '.flash')).toContain(`You dropped ${openCourse.code}`);
  const place = await db('enrolments').where({ section_id: open.id, student_id: studentId }).first('status');
  expect(place.status).toBe('dropped');

  await page.goto('/me/transcript');
  expect(await textOf(page, 'h1')).toContain('Academic transcript');
  expect(await textOf(page, 'main')).toMatch(/GPA/);
  await expectAccessible(page);
  await screenshot(page, 'transcript-en');

  await page.goto('/me/profile');
  await page.fill('#f-phone', '13900001111');
  await submit(page, 'main form button[type="submit"]');
  expect(await textOf(page, '.flash')).toContain('Your contact details were saved.');
  expect(await textOf(page, 'main')).toContain('13900001111');
  await expectAccessible(page);

  expect(problems()).toEqual([]);
  await context.close();
});
