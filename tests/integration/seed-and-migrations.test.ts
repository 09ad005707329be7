import { seedDemo } from '../../seeds/demo';
import { verifyPassword } from '../../src/auth/passwords';
import { createTestDb, type TestDb } from '../helpers/test-db';

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

  it('is safe to run again: no duplicate accounts, new students get new numbers', async () => {
    const again = await seedDemo(t.db, { demoPassword: 'demo-password', students: 10 });
    expect(again).toEqual({ students: 10, accounts: 0 });
    expect(new Set(await t.db('students').pluck('student_no')).size).toBe(2510);
  });

  it('adds no students on start-up when some exist, and no accounts without a demo password', async () => {
    expect(await seedDemo(t.db, { onlyIfEmpty: true })).toEqual({ students: 0, accounts: 0 });
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
