// The name search's gram index follows every student write (in the write's own transaction), and a
// search through it finds exactly what a substring filter over the folded names finds.
import { parseOrThrow } from '../../src/lib/validate';
import { GRAMS_TABLE, gramsOf, nameKey } from '../../src/db/name-grams';
import { StudentsRepository, type StudentRow } from '../../src/students/students.repository';
import { listQuerySchema } from '../../src/students/students.schemas';
import { createStudent, studentInput } from '../helpers/factories';
import { createTestDb, type TestDb } from '../helpers/test-db';

describe('the student name grams', () => {
  let t: TestDb;
  let repo: StudentsRepository;
  beforeAll(async () => {
    t = await createTestDb();
    repo = new StudentsRepository(t.db);
  });
  afterAll(() => t.drop());

  const gramsFor = async (id: number) =>
    (await t.db(GRAMS_TABLE).where({ student_id: id }).orderBy('gram').select('gram', 'archived', 'student_no')).map(
      (r: { gram: string | Buffer; archived: number | boolean; student_no: string }) => ({
        // VARBINARY on MySQL.
        gram: Buffer.isBuffer(r.gram) ? r.gram.toString('utf8') : r.gram,
        archived: Number(r.archived),
        student_no: r.student_no,
      }),
    );
  const expected = (name: string, studentNo: string, archived: number) =>
    gramsOf(nameKey(name))
      .sort()
      .map((gram) => ({ gram, archived, student_no: studentNo }));
  const sorted = <T extends { gram: string }>(rows: T[]) => [...rows].sort((a, b) => (a.gram < b.gram ? -1 : 1));

  it('writes the grams and the folded name with a new student', async () => {
    const s = await createStudent(t.db, { name: '王小明 Ｌｉ' });
    expect((s as StudentRow & { name_key: string }).name_key).toBe('王小明 li');
    expect(sorted(await gramsFor(s.id))).toEqual(sorted(expected('王小明 Ｌｉ', s.student_no, 0)));
  });

  it('replaces them on an edit: the old name no longer finds the student, the new one does', async () => {
    const s = await createStudent(t.db, { name: '欧阳修' });
    const input = studentInput({ student_no: `${s.student_no}X`, name: '苏轼' });
    expect(await repo.updateIfVersion(s.id, s.version, input)).toBe(1);
    expect(sorted(await gramsFor(s.id))).toEqual(sorted(expected('苏轼', `${s.student_no}X`, 0)));
    const search = (q: string) => repo.list(parseOrThrow(listQuerySchema, { q })).then((p) => p.rows.map((r) => r.id));
    expect(await search('欧阳')).not.toContain(s.id);
    expect(await search('苏轼')).toContain(s.id);
    // A stale edit changes nothing, grams included.
    expect(await repo.updateIfVersion(s.id, s.version, studentInput({ name: '李白' }))).toBe(0);
    expect(await search('苏轼')).toContain(s.id);
  });

  it('moves them to the archived half on archive and back on restore', async () => {
    const s = await createStudent(t.db, { name: '诸葛亮' });
    const search = (archived: string) =>
      repo.list(parseOrThrow(listQuerySchema, { q: '诸葛', archived })).then((p) => p.rows.map((r) => r.id));
    const flag = async () => Number((await t.db('students').where({ id: s.id }).first('archived')).archived);
    expect(await repo.setArchived(s.id, true)).toBe(1);
    expect((await gramsFor(s.id)).every((g) => g.archived === 1)).toBe(true);
    // The row's own flag (the list's indexes start with it) moves with deleted_at.
    expect(await flag()).toBe(1);
    expect(await search('')).not.toContain(s.id);
    expect(await search('1')).toContain(s.id);
    expect(await repo.setArchived(s.id, false)).toBe(1);
    expect((await gramsFor(s.id)).every((g) => g.archived === 0)).toBe(true);
    expect(await flag()).toBe(0);
    expect(await search('')).toContain(s.id);
    expect(await search('1')).not.toContain(s.id);
  });

  describe('against a brute-force substring filter', () => {
    // A small alphabet, so searches of one to four characters match many names and few.
    const ALPHABET = ['王', '李', '小', '明', '张', '伟', 'a', 'B', 'c', 'Ａ', ' ', 'é', 'e\u0301', '%', '_'];
    const made: { id: number; student_no: string; name: string }[] = [];
    let seed = 7;
    const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    beforeAll(async () => {
      const rows = Array.from({ length: 300 }, (_, i) => {
        const length = 1 + Math.floor(rand() * 6);
        const name =
          Array.from({ length }, () => ALPHABET[Math.floor(rand() * ALPHABET.length)]!)
            .join('')
            .trim() || '王';
        return {
          ...studentInput({ student_no: `BF${String(i).padStart(4, '0')}`, name }),
          version: 1,
          created_at: '2026-01-01 00:00:00',
          updated_at: '2026-01-01 00:00:00',
        };
      });
      await t.db.transaction((trx) => repo.insertMany(rows, trx, 64));
      const ids: { id: number; student_no: string; name: string }[] = await t
        .db('students')
        .where('student_no', 'like', 'BF%')
        .select('id', 'student_no', 'name');
      made.push(...ids.map((r) => ({ ...r, id: Number(r.id) })));
    });

    /** Every match of a search, page after page by the keyset cursors. */
    async function searchAll(q: string, sort: string, dir: string): Promise<number[]> {
      const found: number[] = [];
      let after: string | undefined;
      for (let page = 1; page < 100; page++) {
        const list = await repo.list(parseOrThrow(listQuerySchema, { q, sort, dir, size: '17', page, after }));
        found.push(...list.rows.map((r) => Number(r.id)));
        if (!list.cursors.next) break;
        after = list.cursors.next;
      }
      return found;
    }

    const queries = ['王', '小明', '王小明', 'a', 'ab', 'Ａb', 'é', 'B c', '%', '_a', '伟 ', '明王李', 'bf00', 'bf'];
    test.each(queries)('%j finds exactly the names that contain it', async (q) => {
      const key = nameKey(q.trim());
      const numberLike = /^[A-Za-z0-9-]+$/.test(q.trim()) && /\d/.test(q) === false;
      const expectedIds = made
        .filter(
          (s) =>
            (!/\d/.test(q) && nameKey(s.name).includes(key)) ||
            ((numberLike || /\d/.test(q)) && s.student_no.startsWith(q.trim().toUpperCase())),
        )
        .map((s) => s.id)
        .sort((a, b) => a - b);
      const found = await searchAll(q, 'student_no', 'asc');
      if (['王', 'a', 'bf'].includes(q)) expect(expectedIds.length).toBeGreaterThan(17);
      // Other tests' students may match too; among this set, exactly the expected ones, each once.
      const mine = new Set(made.map((s) => s.id));
      const ours = found.filter((id) => mine.has(id));
      expect(new Set(ours).size).toBe(ours.length);
      expect([...ours].sort((a, b) => a - b)).toEqual(expectedIds);
      // Another order pages through the same set.
      const byName = (await searchAll(q, 'name', 'desc')).filter((id) => mine.has(id));
      expect([...byName].sort((a, b) => a - b)).toEqual(expectedIds);
    });
  });
});
