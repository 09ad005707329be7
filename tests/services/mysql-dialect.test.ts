// MySQL-only behaviour: 5.7's strict sql_mode on every connection, utf8mb4 InnoDB tables.
import { MYSQL57_SQL_MODE } from '../../src/db/knex';
import { createStudent } from '../helpers/factories';
import { createTestDb, type TestDb } from '../helpers/test-db';

describe('MySQL dialect', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb('mysql');
  });
  afterAll(() => t.drop());

  it("sets MySQL 5.7's default sql_mode on every pooled connection", async () => {
    const modes = await Promise.all(
      Array.from({ length: 5 }, () => t.db.raw('SELECT @@SESSION.sql_mode AS mode, @@SESSION.time_zone AS tz')),
    );
    for (const [rows] of modes) {
      expect(rows[0].mode.split(',').sort()).toEqual(MYSQL57_SQL_MODE.split(',').sort());
      expect(rows[0].tz).toBe('+00:00');
    }
  });

  it('creates every table as InnoDB with utf8mb4', async () => {
    const [rows] = await t.db.raw(
      'SELECT table_name AS name, engine, table_collation AS collation FROM information_schema.tables WHERE table_schema = DATABASE()',
    );
    const ours = rows.filter((r: { name: string }) => !r.name.startsWith('knex_'));
    expect(ours.map((r: { name: string }) => r.name).sort()).toEqual([
      'audit_log',
      'classes',
      'courses',
      'departments',
      'enrolments',
      'grades',
      'idempotency_keys',
      'import_job_chunks',
      'import_jobs',
      'majors',
      'section_meetings',
      'sections',
      'staff',
      'student_name_grams',
      'students',
      'term_selection_rounds',
      'terms',
      'users',
    ]);
    for (const row of ours) {
      expect(row.engine).toBe('InnoDB');
      expect(row.collation).toMatch(/^utf8mb4_/);
    }
  });

  it('keeps 4-byte characters (rare CJK, emoji) intact', async () => {
    const student = await createStudent(t.db, { name: '𠀀龘 Zoë 😀' });
    const row = await t.db('students').where({ id: student.id }).first();
    expect(row.name).toBe('𠀀龘 Zoë 😀');
    // The search's grams keep them too (VARBINARY: no padding, no collation folding 'x ' into 'x').
    const grams = await t.db('student_name_grams').where({ student_id: student.id }).pluck('gram');
    expect(grams.map((g: Buffer) => g.toString('utf8'))).toEqual(
      expect.arrayContaining(['𠀀', '𠀀龘', '😀', 'ë ', 'ë']),
    );
  });

  it('refuses a value longer than its column instead of truncating it (strict mode)', async () => {
    await expect(createStudent(t.db, { student_no: 'X'.repeat(40) })).rejects.toMatchObject({
      code: 'ER_DATA_TOO_LONG',
    });
  });

  it('returns DATE and DATETIME columns as plain strings, like SQLite', async () => {
    const student = await createStudent(t.db, { birth_date: '2004-02-29' });
    expect(student.birth_date).toBe('2004-02-29');
    expect(student.created_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });
});
