// On the embedded SQLite, the student searches read an index range too: a student-number search is a
// range on the number (SQLite's LIKE ignores ASCII case and so never uses an index), a name search a
// lookup in the gram table. Checked with EXPLAIN QUERY PLAN on the queries the repository sends.
import type { Knex } from 'knex';
import { StudentsRepository } from '../../../src/students/students.repository';
import { listQuerySchema } from '../../../src/students/students.schemas';
import { parseOrThrow } from '../../../src/lib/validate';
import { createTestDb, type TestDb } from '../../helpers/test-db';

describe('student searches on SQLite', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb('sqlite');
  });
  afterAll(() => t.drop());

  /** The EXPLAIN QUERY PLAN lines of every SELECT a call sends. */
  async function plans(call: (repo: StudentsRepository) => Promise<unknown>): Promise<string[][]> {
    const sent: { sql: string; bindings: readonly unknown[] }[] = [];
    const capture = (q: { sql: string; bindings?: readonly unknown[] }) =>
      sent.push({ sql: q.sql, bindings: q.bindings ?? [] });
    t.db.on('query', capture);
    try {
      await call(new StudentsRepository(t.db));
    } finally {
      t.db.off('query', capture);
    }
    const out: string[][] = [];
    for (const q of sent.filter((s) => /^\s*select/i.test(s.sql))) {
      const rows: { detail: string }[] = await t.db.raw(`explain query plan ${q.sql}`, q.bindings as Knex.RawBinding[]);
      out.push(rows.map((r) => r.detail));
    }
    return out;
  }
  const list = (query: Record<string, string>) => (repo: StudentsRepository) =>
    repo.list(parseOrThrow(listQuerySchema, query));

  it('reads a student-number search as a range of the number index', async () => {
    const found = await plans(list({ q: '2023' }));
    expect(found.length).toBe(2);
    for (const lines of found) {
      expect(
        lines.some((l) =>
          /SEARCH s USING (COVERING )?INDEX students_archived_no_index \(archived=\? AND student_no>\? AND student_no<\?\)/.test(
            l,
          ),
        ),
      ).toBe(true);
      expect(lines.filter((l) => /^SCAN (s|students)\b/.test(l))).toEqual([]);
    }
  });

  it.each(['王', '王伟', '王小明'])('reads a name search (%s) through the gram index', async (q) => {
    const found = await plans(list({ q }));
    expect(found.length).toBe(2);
    for (const lines of found) {
      expect(
        lines.some((l) =>
          /SEARCH g USING (COVERING )?INDEX sqlite_autoindex_student_name_grams_1 \(gram=\? AND archived=\?/.test(l),
        ),
      ).toBe(true);
      expect(lines.filter((l) => /^SCAN (s|g|students|student_name_grams)\b/.test(l))).toEqual([]);
    }
  });
});
