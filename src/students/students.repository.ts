import type { Knex } from 'knex';
import type { RecordName } from '../audit/audit-presenter';
import * as rows from '../records/versioned-rows';
import { sqlNow } from '../lib/time';
import type { SortColumns } from '../lib/sorting';
import type { ListQuery, SORTABLE, StudentInput } from './students.schemas';
import { likeEscape, whereStartsWith } from '../db/like';
import { isMysql } from '../db/knex';
import { type BatchKey, encodeCursor, flip, type Keyset, usableCursor, whereKeyset } from '../lib/keyset';
import type { SortDir } from '../lib/sorting';
import { GRAMS_TABLE, nameKey, replaceGrams, searchGram, setGramsArchived, insertGrams } from '../db/name-grams';
import { nameSortKey } from '../db/name-sort';

export interface StudentRow {
  id: number;
  student_no: string;
  name: string;
  gender: string;
  birth_date: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  enrolment_year: number;
  status: string;
  class_id: number | null;
  version: number;
  created_at: string;
  updated_at: string;
  created_by: number | null;
  updated_by: number | null;
  deleted_at: string | null;
  /** The name's pinyin sort key (db/name-sort.ts): what the list sorted by name orders by. */
  name_sort?: string;
}

/** The SQL behind each sortable column name (the query only ever picks a name). */
const SORT_SQL: SortColumns<(typeof SORTABLE)[number]> = {
  student_no: 'student_no',
  name: 'name_sort',
  enrolment_year: 'enrolment_year',
  status: 'status',
  updated_at: 'updated_at',
};

/** What a student may change of their own record. */
export interface ContactInput {
  email: string | null;
  phone: string | null;
  address: string | null;
}

/** A student as a class's member list shows them. */
export interface ClassMember {
  id: number;
  student_no: string;
  name: string;
  status: string;
}

/** Where a student belongs: their administrative class, its major and school. */
export interface Placement {
  class_id: number;
  class_code: string;
  class_name: string;
  major: string;
  department: string;
  /** Official English names, when kept. */
  major_en: string | null;
  department_en: string | null;
}

/** How many matches past the requested page a list counts before it says "more than". */
export const COUNT_CAP = 1000;

/** Names hold no digits, so a search with one is a student-number prefix (an index range). */
const isNameSearch = (q: string | undefined): boolean => !!q && !/\d/.test(q);
/** Only such a search can also be the start of a student number (students.schemas.ts). */
const couldBeNumber = (q: string): boolean => /^[A-Za-z0-9-]+$/.test(q);

/** One way to the matching rows: its FROM and WHERE, and the columns its index yields in list order. */
interface Branch {
  /** `forCount`: only ids are read, so a gram lookup that needs nothing of the row skips the join. */
  base: (forCount?: boolean) => Knex.QueryBuilder;
  column: string;
  id: string;
}

/**
 * The index that holds a status or year filter's active rows in number order (the default sort). MariaDB
 * walks the number index instead when left to choose, betting matches are spread evenly; they are not
 * (numbers start with the year) and a page of year 2023 read 40,000 rows. SQLite chooses well.
 */
function filterIndex(query: ListQuery): string | undefined {
  if (query.sort !== 'student_no') return undefined;
  if (query.status && query.year !== undefined) return 'students_archived_status_year_no_index';
  if (query.status) return 'students_archived_status_no_index';
  if (query.year !== undefined) return 'students_archived_year_no_index';
  return undefined;
}

/** ORDER BY a branch's column, then id. */
function orderBranch(q: Knex.QueryBuilder, b: Branch, dir: SortDir): Knex.QueryBuilder {
  return q.orderBy(b.column, dir).orderBy(b.id, dir);
}
export interface StudentListPage {
  rows: StudentRow[];
  total: number;
  exact: boolean;
  /** Keyset cursors (lib/keyset.ts) of the next and previous pages, when there are such pages. */
  cursors: { next?: string; prev?: string };
}

export class StudentsRepository {
  constructor(private readonly db: Knex) {}

  /** The student-number prefix: numbers are stored upper-cased. */
  private numberPrefix(builder: Knex.QueryBuilder, q: string, trx: Knex): void {
    whereStartsWith(trx, builder, 's.student_no', q.toUpperCase());
  }

  /**
   * The ways to the matches: the students' own indexes (status, year, number prefix), or for a name
   * search the gram index (name-grams.ts) plus, when the text could start a student number, that range.
   */
  private branches(query: ListQuery, trx: Knex): Branch[] {
    const column = SORT_SQL[query.sort];
    const filters = (b: Knex.QueryBuilder) => {
      if (query.status) b.where('s.status', query.status);
      if (query.year !== undefined) b.where('s.enrolment_year', query.year);
      return b;
    };
    const onStudents = (prefix: string | undefined): Branch => ({
      base: () => {
        const hint = isMysql(trx) ? filterIndex(query) : undefined;
        const b = hint ? trx.from(trx.raw('?? as s force index (??)', ['students', hint])) : trx('students as s');
        // `archived` mirrors deleted_at (setArchived writes both): one value, so each index holds its order.
        b.where('s.archived', query.archived ? 1 : 0);
        if (prefix !== undefined) this.numberPrefix(b, prefix, trx);
        return filters(b);
      },
      column: `s.${column}`,
      id: 's.id',
    });
    if (!query.q) return [onStudents(undefined)];
    if (!isNameSearch(query.q)) return [onStudents(query.q)];

    const key = nameKey(query.q);
    const { gram, exact } = searchGram(key);
    const byId = query.sort === 'student_no';
    const needsRow = exact === false || query.status !== undefined || query.year !== undefined || !byId;
    const byName: Branch = {
      base: (forCount = false) => {
        const b = trx(`${GRAMS_TABLE} as g`)
          .modify((q) => (forCount && !needsRow ? q : q.join('students as s', 's.id', 'g.student_id')))
          .where('g.gram', gram)
          .where('g.archived', query.archived ? 1 : 0);
        if (!exact) b.whereRaw("s.name_key like ? escape '!'", [`%${likeEscape(key)}%`]);
        return filters(b);
      },
      // By number, the gram index is already in list order.
      column: byId ? 'g.student_no' : `s.${column}`,
      id: byId ? 'g.student_id' : 's.id',
    };
    return couldBeNumber(query.q) ? [byName, onStudents(query.q)] : [byName];
  }

  /**
   * The ids of the matches from `key` on, at most `limit` of each branch: for a page in list order; for a
   * count (`inclusive`, the key row itself counted) in any order, so the read stops after `limit` entries
   * of whichever index serves the filter instead of sorting every match first.
   */
  private matchIds(
    branches: Branch[],
    dir: SortDir,
    limit: number,
    key: BatchKey | undefined,
    inclusive: boolean,
    trx: Knex,
  ): Knex.QueryBuilder {
    const forCount = inclusive;
    const parts = branches.map((b, i) =>
      trx.select(`k${i}.id`).from(
        b
          .base(forCount)
          .select(`${b.id} as id`)
          .modify((q) => key && whereKeyset(q, b.column, b.id, dir, key, inclusive))
          .modify((q) => (forCount ? q : orderBranch(q, b, dir)))
          .limit(limit)
          .as(`k${i}`),
      ),
    );
    return parts.length === 1 ? parts[0]! : parts[0]!.union(parts.slice(1));
  }

  /** Rows in (sort column, id) `dir` order past `key` (or from the start, skipping `offset`), at most `limit`. */
  private rowsFrom(
    branches: Branch[],
    query: ListQuery,
    dir: SortDir,
    key: BatchKey | undefined,
    offset: number,
    limit: number,
    trx: Knex,
  ): Promise<StudentRow[]> {
    if (branches.length === 1) {
      const [b] = branches as [Branch];
      return b
        .base()
        .select('s.*')
        .modify((q) => key && whereKeyset(q, b.column, b.id, dir, key))
        .modify((q) => orderBranch(q, b, dir))
        .limit(limit)
        .offset(offset);
    }
    const ids = this.matchIds(branches, dir, offset + limit, key, false, trx);
    return trx('students as s')
      .join(ids.as('u'), 'u.id', 's.id')
      .select('s.*')
      .orderBy(`s.${SORT_SQL[query.sort]}`, dir)
      .orderBy('s.id', dir)
      .limit(limit)
      .offset(offset);
  }

  /** Where a row stands in the list's order: its sort value and id (a cursor's or a batch's end). */
  keyOf(query: ListQuery, row: StudentRow): BatchKey {
    return { value: row[SORT_SQL[query.sort] as keyof StudentRow] as string | number, id: Number(row.id) };
  }

  /**
   * The list's matches in its order past `after`, at most `limit` (an export's batches): the page query
   * without its count, so a whole export reads each match once.
   */
  batchAfter(query: ListQuery, after: BatchKey | undefined, limit: number, trx: Knex = this.db): Promise<StudentRow[]> {
    return this.rowsFrom(this.branches(query, trx), query, query.dir, after, 0, limit, trx);
  }

  /**
   * One page, in (sort column, id) order, from a keyset cursor (`after` / `before`) or, without one, by
   * OFFSET (page=N: the first pages and old links). Each way to the matches reads its index from the
   * page on; the count reads at most COUNT_CAP matches past the page and says `exact: false` when it
   * stopped there, so no list or search reads a number of rows that grows with the table.
   */
  async list(query: ListQuery, trx: Knex = this.db): Promise<StudentListPage> {
    const branches = this.branches(query, trx);
    const cursor = usableCursor(query);
    const dir = cursor?.backwards ? flip(query.dir) : query.dir;
    const offset = cursor ? 0 : (query.page - 1) * query.size;
    const page = await this.rowsFrom(branches, query, dir, cursor?.key, offset, query.size + 1, trx);
    const more = page.length > query.size;
    const rows = page.slice(0, query.size);
    if (cursor?.backwards) rows.reverse();

    const keyOf = (row: StudentRow): Keyset => ({ sort: query.sort, dir: query.dir, ...this.keyOf(query, row) });
    const cursors: StudentListPage['cursors'] = {};
    if (rows.length > 0) {
      if (cursor?.backwards ? true : more) cursors.next = encodeCursor(keyOf(rows[rows.length - 1]!));
      if (query.page > 1 && (cursor?.backwards ? more : true)) cursors.prev = encodeCursor(keyOf(rows[0]!));
    }

    // Counted from the page's first row on (or, past the end, from the start), at most `cap` matches.
    const first = rows[0];
    const before = first ? (query.page - 1) * query.size : 0;
    const cap = first ? query.size + COUNT_CAP : query.page * query.size + COUNT_CAP;
    const matches = this.matchIds(branches, query.dir, cap + 1, first && keyOf(first), true, trx);
    const countRow = await trx.from(matches.as('m')).count<{ n: number | string }[]>({ n: '*' }).first();
    const counted = Number(countRow?.n ?? 0);
    return { rows, total: before + Math.min(counted, cap), exact: counted <= cap, cursors };
  }

  /** The student's class, major and school; null for a student not placed in a class. */
  async placement(student: Pick<StudentRow, 'class_id'>, trx: Knex = this.db): Promise<Placement | null> {
    if (student.class_id === null) return null;
    const row = await trx('classes as c')
      .join('majors as m', 'm.id', 'c.major_id')
      .join('departments as d', 'd.id', 'm.department_id')
      .where('c.id', student.class_id)
      .first<Placement | undefined>({
        class_id: 'c.id',
        class_code: 'c.code',
        class_name: 'c.name',
        major: 'm.name',
        department: 'd.name',
        major_en: 'm.name_en',
        department_en: 'd.name_en',
      });
    return row ?? null;
  }

  /** Number and name of these students, archived ones too (the audit log names them), in one query. */
  async namesOf(ids: readonly number[], trx: Knex = this.db): Promise<Map<number, RecordName>> {
    if (ids.length === 0) return new Map();
    const rows: { id: number; student_no: string; name: string }[] = await trx('students')
      .whereIn('id', ids)
      .select('id', 'student_no', 'name');
    return new Map(rows.map((r) => [Number(r.id), { code: r.student_no, name: r.name }]));
  }

  findById(id: number, trx: Knex = this.db, options: { lock?: boolean } = {}): Promise<StudentRow | undefined> {
    const q = trx<StudentRow>('students').where({ id }).first();
    return options.lock ? q.forUpdate() : q;
  }

  /** Runs `work` in the caller's transaction, or in one of its own: a row and its grams change together. */
  private atomic<T>(trx: Knex, work: (trx: Knex) => Promise<T>): Promise<T> {
    return trx.isTransaction ? work(trx) : trx.transaction(work);
  }

  insert(input: StudentInput, trx: Knex = this.db, actorId: number | null = null): Promise<number> {
    return this.atomic(trx, async (t) => {
      const id = await rows.insertVersioned(t, 'students', {
        ...input,
        name_key: nameKey(input.name),
        name_sort: nameSortKey(input.name),
        created_by: actorId,
        updated_by: actorId,
      });
      await insertGrams(t, [{ id, student_no: input.student_no, name: input.name, archived: false }]);
      return id;
    });
  }

  /**
   * Many new students at once (seeds, bulk set-up, imports): multi-row inserts and their grams, in the
   * caller's transaction. `rows` are whole students rows (version, timestamps included); name_key is added
   * here. Answers the rows as stored, in the order given.
   */
  async insertMany(students: Record<string, unknown>[], trx: Knex, batch = 500): Promise<StudentRow[]> {
    const made: StudentRow[] = [];
    for (let i = 0; i < students.length; i += batch) {
      const chunk: Record<string, unknown>[] = students.slice(i, i + batch).map((r) => ({
        ...r,
        name_key: nameKey(String(r.name)),
        name_sort: nameSortKey(String(r.name)),
        archived: r.deleted_at ? 1 : 0,
      }));
      await trx('students').insert(chunk);
      const numbers = chunk.map((r) => String(r.student_no));
      const stored = new Map(
        (await trx<StudentRow>('students').whereIn('student_no', numbers).select('*')).map((r) => [r.student_no, r]),
      );
      const rows = numbers.map((no) => stored.get(no)!);
      await insertGrams(
        trx,
        rows.map((r) => ({
          id: Number(r.id),
          student_no: r.student_no,
          name: r.name,
          archived: r.deleted_at !== null,
        })),
      );
      made.push(...rows);
    }
    return made;
  }

  /** Students with these numbers, archived ones too, in queries of `batch` numbers; `lock`: FOR UPDATE. */
  async findManyByNumbers(
    numbers: readonly string[],
    trx: Knex = this.db,
    options: { lock?: boolean } = {},
    batch = 1000,
  ): Promise<StudentRow[]> {
    const found: StudentRow[] = [];
    for (let i = 0; i < numbers.length; i += batch) {
      const q = trx<StudentRow>('students').whereIn('student_no', numbers.slice(i, i + batch));
      found.push(...((await (options.lock ? q.forUpdate() : q)) as StudentRow[]));
    }
    return found;
  }

  /** Students with these ids, in queries of `batch` ids; `lock`: FOR UPDATE. */
  async findManyByIds(
    ids: readonly number[],
    trx: Knex = this.db,
    options: { lock?: boolean } = {},
    batch = 1000,
  ): Promise<StudentRow[]> {
    const found: StudentRow[] = [];
    for (let i = 0; i < ids.length; i += batch) {
      const q = trx<StudentRow>('students').whereIn('id', ids.slice(i, i + batch));
      found.push(...((await (options.lock ? q.forUpdate() : q)) as StudentRow[]));
    }
    return found;
  }

  /**
   * Many edits of rows the caller holds locked (FOR UPDATE) and has found at their versions, in its
   * transaction: each row saved at its version + 1, a multi-row upsert by id per batch (MySQL's ON
   * DUPLICATE KEY UPDATE, SQLite's ON CONFLICT DO UPDATE) where the number stays, an optimistic update of
   * its own where it changes (the number is a unique key too, which such an upsert would match on); the
   * grams of renamed students replaced. The rows changed of each edit (0 or 1).
   */
  async updateManyLocked(
    edits: readonly { row: StudentRow; input: StudentInput }[],
    trx: Knex,
    actorId: number | null = null,
    batch = 500,
  ): Promise<number[]> {
    const now = sqlNow();
    const changed = new Map<number, number>();
    const columns = (input: StudentInput) => ({
      ...input,
      name_key: nameKey(input.name),
      name_sort: nameSortKey(input.name),
      updated_by: actorId,
    });
    const kept = edits.filter((e) => e.row.student_no === e.input.student_no);
    for (const e of edits.filter((e) => e.row.student_no !== e.input.student_no))
      changed.set(e.row.id, await rows.updateIfVersion(trx, 'students', e.row.id, e.row.version, columns(e.input)));
    for (let i = 0; i < kept.length; i += batch) {
      const chunk = kept.slice(i, i + batch).map(({ row, input }) => ({
        id: row.id,
        ...columns(input),
        version: row.version + 1,
        created_at: row.created_at,
        updated_at: now,
        created_by: row.created_by,
        deleted_at: null,
        archived: 0,
      }));
      const merge = Object.keys(chunk[0]!).filter((c) => !['id', 'created_at', 'created_by'].includes(c));
      await trx('students').insert(chunk).onConflict('id').merge(merge);
      for (const r of chunk) changed.set(r.id, 1);
    }
    const renamed = edits.filter(
      (e) => changed.get(e.row.id) === 1 && (e.row.name !== e.input.name || e.row.student_no !== e.input.student_no),
    );
    for (let i = 0; i < renamed.length; i += 1000) {
      const chunk = renamed.slice(i, i + 1000);
      await trx(GRAMS_TABLE)
        .whereIn(
          'student_id',
          chunk.map((e) => e.row.id),
        )
        .delete();
      // Only active rows are edited, so their grams are in the active half.
      await insertGrams(
        trx,
        chunk.map((e) => ({ id: e.row.id, student_no: e.input.student_no, name: e.input.name, archived: false })),
      );
    }
    return edits.map((e) => changed.get(e.row.id) ?? 0);
  }

  /** Optimistic update: only when the row is still at `version`. Returns the rows changed (0 or 1). */
  updateIfVersion(
    id: number,
    version: number,
    input: StudentInput,
    trx: Knex = this.db,
    actorId: number | null = null,
  ): Promise<number> {
    return this.atomic(trx, async (t) => {
      const changed = await rows.updateIfVersion(t, 'students', id, version, {
        ...input,
        name_key: nameKey(input.name),
        name_sort: nameSortKey(input.name),
        updated_by: actorId,
      });
      // Only an active row is updated, so its grams are in the active half.
      if (changed > 0) await replaceGrams(t, { id, student_no: input.student_no, name: input.name, archived: false });
      return changed;
    });
  }

  setArchived(id: number, archived: boolean, trx: Knex = this.db, actorId: number | null = null): Promise<number> {
    return this.atomic(trx, async (t) => {
      const changed = await rows.setArchived(t, 'students', id, archived, {
        updated_by: actorId,
        archived: archived ? 1 : 0,
      });
      if (changed > 0) await setGramsArchived(t, id, archived);
      return changed;
    });
  }

  /** A student's own contact details (/me/profile): only when the row is still at `version`. */
  updateContact(id: number, version: number, input: ContactInput, trx: Knex = this.db, actorId: number | null = null) {
    return trx('students')
      .where({ id, version })
      .whereNull('deleted_at')
      .update({
        email: input.email,
        phone: input.phone,
        address: input.address,
        version: trx.raw('version + 1'),
        updated_at: sqlNow(),
        updated_by: actorId,
      });
  }

  /** The active students of a class, by student number (a class is a few dozen; `limit` guards a page). */
  membersOfClass(classId: number, limit?: number, trx: Knex = this.db): Promise<ClassMember[]> {
    const q = trx('students')
      .where({ class_id: classId })
      .whereNull('deleted_at')
      .orderBy('student_no')
      .select<ClassMember[]>('id', 'student_no', 'name', 'status');
    return limit === undefined ? q : q.limit(limit);
  }

  /** The student with this number, archived ones too (the number is unique over all of them). */
  findByNumber(
    studentNo: string,
    trx: Knex = this.db,
    options: { lock?: boolean } = {},
  ): Promise<StudentRow | undefined> {
    const q = trx<StudentRow>('students').where({ student_no: studentNo }).first();
    return options.lock ? q.forUpdate() : q;
  }

  /** An active student's id from the student number. */
  async idByNumber(studentNo: string, trx: Knex = this.db): Promise<number | undefined> {
    const row = await trx('students').where({ student_no: studentNo }).whereNull('deleted_at').first('id');
    return row ? Number(row.id) : undefined;
  }

  async countByStatus(trx: Knex = this.db): Promise<Record<string, number>> {
    const rows = await trx('students')
      .whereNull('deleted_at')
      .select('status')
      .count<{ status: string; n: number | string }[]>({ n: '*' })
      .groupBy('status');
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}
