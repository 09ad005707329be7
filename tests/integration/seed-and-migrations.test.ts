import type { Knex } from 'knex';
import { demoSignIns, seedDemo } from '../../seeds/demo';
import { hashPassword, verifyPassword } from '../../src/auth/passwords';
import { sqlNow } from '../../src/lib/time';
import { createTestDb, type TestDb } from '../helpers/test-db';

async function expectEveryStudentInAClassOf30To40(db: Knex) {
  expect(await db('students').whereNull('class_id').first('id')).toBeUndefined();
  const mismatched = await db('students as s')
    .join('classes as c', 'c.id', 's.class_id')
    .whereRaw('s.enrolment_year <> c.entry_year')
    .first('s.id');
  expect(mismatched).toBeUndefined();
  const sizes: { code: string; n: number | string }[] = await db('classes as c')
    .join('students as s', 's.class_id', 'c.id')
    .groupBy('c.id', 'c.code')
    .select('c.code', db.raw('count(*) as n'));
  expect(sizes.length).toBeGreaterThan(0);
  const outside = sizes.filter(({ n }) => Number(n) < 30 || Number(n) > 40);
  expect(outside).toEqual([]);
}

describe('demo data and migrations', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(() => t.drop());

  it('seeds the three demo accounts and N students, the student account linked to a record', async () => {
    const result = await seedDemo(t.db, { demoPassword: 'demo-password', students: 2500 });
    expect(result).toEqual({ students: 2500, accounts: 3 });
    expect(Number((await t.db('students').count({ n: '*' }))[0]!.n)).toBe(2500);

    const accounts = await t.db('users').orderBy('username').select('username', 'role', 'student_id', 'password_hash');
    expect(accounts.map((a) => [a.username, a.role])).toEqual([
      ['admin', 'admin'],
      ['staff', 'staff'],
      ['student', 'student'],
    ]);
    expect(accounts[2].student_id).not.toBeNull();
    expect(await verifyPassword(accounts[0].password_hash, 'demo-password')).toBe(true);

    const names: string[] = await t.db('students').pluck('name');
    expect(names.some((n) => /^[\u4e00-\u9fff]{2,4}$/.test(n))).toBe(true);
    expect(names.some((n) => /^[A-Z][a-z]+ [A-Z]/.test(n))).toBe(true);
    expect(new Set(await t.db('students').pluck('student_no')).size).toBe(2500);
  });

  it('builds a believable university around them: departments, classes, staff, terms, sections, grades', async () => {
    const count = async (table: string) => Number((await t.db(table).count({ n: '*' }))[0]!.n);
    expect(await count('departments')).toBe(5);
    expect(await t.db('departments').pluck('name')).toContain('计算机科学与技术学院');
    expect(await count('majors')).toBe(12);
    expect(await count('courses')).toBeGreaterThanOrEqual(25);
    expect(await count('staff')).toBe(20);
    expect(new Set(await t.db('staff').pluck('title'))).toEqual(new Set(['教授', '副教授', '讲师']));
    const staffUser = await t.db('users').where({ username: 'staff' }).first();
    expect(await t.db('staff').where({ user_id: staffUser.id }).first()).toBeDefined();

    // Every student is in a class of their own entry year, and every class holds 30 to 40 of them.
    await expectEveryStudentInAClassOf30To40(t.db);

    const current = await t.db('terms').where({ current_marker: 1 }).first();
    const now = sqlNow();
    expect(current.selection_opens_at < now && now < current.selection_closes_at).toBe(true);
    expect(await count('terms')).toBe(2);

    // Seat counters are true, never over capacity; some sections are full with a waiting list.
    const sections = await t.db('sections').select('id', 'term_id', 'capacity', 'enrolled_count');
    for (const sec of sections) {
      const real = Number(
        (await t.db('enrolments').where({ section_id: sec.id, status: 'enrolled' }).count({ n: '*' }))[0]!.n,
      );
      expect({ id: sec.id, count: sec.enrolled_count }).toEqual({ id: sec.id, count: real });
      expect(sec.enrolled_count).toBeLessThanOrEqual(sec.capacity);
    }
    expect(await t.db('enrolments').where({ status: 'waitlisted' }).first()).toBeDefined();
    expect(sections.some((sec) => sec.term_id === current.id && sec.enrolled_count === sec.capacity)).toBe(true);

    // No meeting clashes inside a section, and none in a student's own timetable.
    const meetings = await t
      .db('section_meetings as m')
      .join('enrolments as e', 'e.section_id', 'm.section_id')
      .where('e.status', 'enrolled')
      .join('sections as s', 's.id', 'm.section_id')
      .select('e.student_id', 's.term_id', 'm.day_of_week', 'm.start_period');
    const seen = new Set<string>();
    for (const m of meetings) {
      const key = `${m.student_id}/${m.term_id}/${m.day_of_week}/${m.start_period}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }

    // The demo student: 3-4 sections this term, graded courses last term.
    const demo = await t.db('users').where({ username: 'student' }).first();
    const mine = await t
      .db('enrolments as e')
      .join('sections as s', 's.id', 'e.section_id')
      .where({ 'e.student_id': demo.student_id, 'e.status': 'enrolled' })
      .select('s.term_id', 'e.id');
    const thisTerm = mine.filter((e) => e.term_id === current.id);
    expect(thisTerm.length).toBeGreaterThanOrEqual(3);
    expect(thisTerm.length).toBeLessThanOrEqual(4);
    const graded = await t.db('grades').whereIn(
      'enrolment_id',
      mine.filter((e) => e.term_id !== current.id).map((e) => e.id),
    );
    expect(graded.length).toBeGreaterThanOrEqual(3);
    expect(
      await t
        .db('grades as g')
        .join('enrolments as e', 'e.id', 'g.enrolment_id')
        .join('sections as s', 's.id', 'e.section_id')
        .where('s.term_id', current.id)
        .first(),
    ).toBeUndefined();
  });

  it('is safe to run again: no duplicate accounts, new students get new numbers', async () => {
    const again = await seedDemo(t.db, { demoPassword: 'demo-password', students: 10 });
    expect(again).toEqual({ students: 10, accounts: 0 });
    expect(new Set(await t.db('students').pluck('student_no')).size).toBe(2510);
    expect(Number((await t.db('departments').count({ n: '*' }))[0]!.n)).toBe(5); // the university is not seeded twice
  });

  it('adds no students on start-up when some exist, and no accounts without a demo password', async () => {
    expect(await seedDemo(t.db, { onlyIfEmpty: true })).toEqual({ students: 0, accounts: 0 });
  });

  it('names for the start-up line only the active demo accounts that still take the demo password', async () => {
    expect(await demoSignIns(t.db, 'demo-password')).toEqual(['admin', 'staff', 'student']);
    expect(await demoSignIns(t.db, 'not-the-demo-password')).toEqual([]);
    await t
      .db('users')
      .where({ username: 'staff' })
      .update({ password_hash: await hashPassword('changed-by-staff') });
    await t.db('users').where({ username: 'student' }).update({ active: false });
    expect(await demoSignIns(t.db, 'demo-password')).toEqual(['admin']);
  });

  it('has a real down for every migration: rollback to nothing, then up again', async () => {
    await t.db.migrate.rollback(undefined, true);
    for (const table of ['students', 'users', 'audit_log', 'idempotency_keys'])
      expect(await t.db.schema.hasTable(table)).toBe(false);
    await t.db.migrate.latest();
    for (const table of ['students', 'users', 'audit_log', 'idempotency_keys'])
      expect(await t.db.schema.hasTable(table)).toBe(true);
  });
});

describe('demo classes at the sizes npm start and the browser journeys seed', () => {
  it.each([200, 60])('puts all %i students in classes of 30 to 40', async (students) => {
    const t = await createTestDb();
    try {
      await seedDemo(t.db, { demoPassword: 'demo-password', students });
      await expectEveryStudentInAClassOf30To40(t.db);
      // The demo student is among them, and takes courses.
      const demo = await t.db('users').where({ username: 'student' }).first('student_id');
      expect(await t.db('students').where({ id: demo.student_id }).whereNotNull('class_id').first('id')).toBeDefined();
      expect(await t.db('enrolments').where({ student_id: demo.student_id }).first('id')).toBeDefined();
    } finally {
      await t.drop();
    }
  });
});
