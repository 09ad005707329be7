// No N+1: every list, search and detail page runs the same number of queries whether it shows two rows or
// thirty. Each page is asked once on a small data set, the data then grows (more students in the class and
// the section, grades, history, accounts, courses, sections, audit rows), and each page is asked again.
import type { Knex } from 'knex';
import {
  createAuditRow,
  createClass,
  createCourse,
  createSection,
  createStudent,
  createTerm,
  createUser,
  insertEnrolment,
  insertGrade,
} from '../helpers/factories';
import { signedInStudent } from '../helpers/selection';
import { type Agent, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

describe('a fixed number of queries per page', () => {
  let t: TestApp;
  let staff: Agent;
  let admin: Agent;
  let student: Agent;
  let studentId: number;
  let classId: number;
  let termId: number;
  let sectionId: number;
  let courseId: number;
  let queries = 0;

  const countQueries = () => queries++;

  /**
   * Students placed in the class and enrolled in the section, each with a grade and history rows whose
   * images name other records (a class, a section, the student): the audit page and the dashboard name
   * them by one lookup per table, however many rows.
   */
  async function addStudents(db: Knex, n: number) {
    for (let i = 0; i < n; i++) {
      const row = await createStudent(db, { class_id: classId, name: `王同学${i}` });
      const { id } = await insertEnrolment(db, sectionId, row.id);
      await insertGrade(db, id, { score: 60 + (i % 40) });
      const other = (await createClass(db)).id;
      await createAuditRow(db, {
        entity: 'student',
        entityId: String(row.id),
        before: { class_id: other, phone: '1' },
        after: { class_id: classId, phone: '2' },
      });
      await createAuditRow(db, {
        entity: 'enrolment',
        action: 'enrol',
        entityId: String(id),
        after: { section_id: sectionId, student_id: row.id, status: 'enrolled' },
      });
      const account = await createUser(db, 'student', { studentId: row.id });
      await createAuditRow(db, { entity: 'user', action: 'password_reset', entityId: String(account.id) });
    }
  }

  async function grow(db: Knex, n: number) {
    await addStudents(db, n);
    for (let i = 0; i < n; i++) {
      const moved = (await createClass(db)).id;
      await createAuditRow(db, {
        entity: 'student',
        entityId: String(studentId),
        action: 'update',
        before: { class_id: classId },
        after: { class_id: moved },
      });
      const account = await createUser(db, 'staff');
      await createAuditRow(db, { entity: 'user', action: 'password_reset', entityId: String(account.id) });
      const course = await createCourse(db);
      const other = await createSection(db, { termId, courseId: course.id });
      const { id } = await insertEnrolment(db, other.id, studentId);
      // The newest rows (the dashboard's) name as many kinds of record as the small set's: more of each.
      await createAuditRow(db, {
        entity: 'enrolment',
        action: 'enrol',
        entityId: String(id),
        after: { section_id: other.id, student_id: studentId },
      });
    }
  }

  const pages = (): [string, () => Agent, string][] => [
    ['staff', () => staff, '/'],
    ['staff', () => staff, '/students'],
    ['staff', () => staff, '/students?q=王'],
    ['staff', () => staff, '/students?q=20'],
    ['staff', () => staff, '/students?page=2&size=10'],
    ['staff', () => staff, `/students/${studentId}`],
    ['staff', () => staff, '/sections'],
    ['staff', () => staff, `/sections/${sectionId}`],
    ['staff', () => staff, `/sections/${sectionId}/roster`],
    ['staff', () => staff, `/sections/${sectionId}/grades`],
    ['staff', () => staff, '/courses'],
    ['staff', () => staff, `/courses/${courseId}`],
    ['staff', () => staff, '/classes'],
    ['staff', () => staff, `/classes/${classId}`],
    ['staff', () => staff, `/terms/${termId}`],
    ['admin', () => admin, '/admin/users'],
    ['admin', () => admin, '/admin/users?q=staff'],
    ['admin', () => admin, '/admin/audit'],
    ['student', () => student, '/me'],
    ['student', () => student, '/me/transcript'],
    ['student', () => student, '/sections'],
  ];

  async function measure(): Promise<Record<string, { status: number; queries: number }>> {
    const result: Record<string, { status: number; queries: number }> = {};
    for (const [who, agent, path] of pages()) {
      for (const accept of ['text/html', 'application/json']) {
        queries = 0;
        const res = await agent().get(path).set('Accept', accept);
        result[`${who} ${accept.split('/')[1]} ${path}`] = { status: res.status, queries };
      }
    }
    return result;
  }

  beforeAll(async () => {
    t = await buildTestApp();
    staff = await signIn(t.app, await createUser(t.db, 'staff'));
    admin = await signIn(t.app, await createUser(t.db, 'admin'));
    classId = (await createClass(t.db)).id;
    termId = (await createTerm(t.db, { current: true })).id;
    const course = await createCourse(t.db);
    courseId = course.id;
    sectionId = (await createSection(t.db, { termId, courseId })).id;
    const me = await signedInStudent(t.app, t.db, { class_id: classId });
    student = me.agent;
    studentId = me.row.id;
    await insertEnrolment(t.db, sectionId, studentId);
    await addStudents(t.db, 2);
    t.db.on('query', countQueries);
  });
  afterAll(async () => {
    t.db.removeListener('query', countQueries);
    await t.close();
  });

  it('runs as many queries with thirty rows on a page as with two', async () => {
    const small = await measure();
    t.db.removeListener('query', countQueries);
    await grow(t.db, 28);
    t.db.on('query', countQueries);
    const large = await measure();
    for (const [page, { status }] of Object.entries(large)) expect([page, status]).toEqual([page, 200]);
    expect(large).toEqual(small);
    // Nothing here is free: every page reads something (a page answered from nowhere would count 0).
    for (const [page, { queries: n }] of Object.entries(small)) expect([page, n > 0]).toEqual([page, true]);
  });
});
