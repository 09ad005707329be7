import type { Knex } from 'knex';
import * as rows from '../records/versioned-rows';
import { sqlNow } from '../lib/time';
import { orderBySort, type SortColumns } from '../lib/sorting';
import type { ListQuery, SORTABLE, StudentInput } from './students.schemas';
import { likeEscape } from '../db/like';

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
}

/** The SQL behind each sortable column name (the query only ever picks a name). */
const SORT_SQL: SortColumns<(typeof SORTABLE)[number]> = {
  student_no: 'student_no',
  name: 'name',
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

/** How many matches past the requested page a name search counts before it says "more than". */
export const COUNT_CAP = 1000;

/** Names hold no digits, so a search with one is a student-number prefix (an index range). */
const isNameSearch = (q: string | undefined): boolean => !!q && !/\d/.test(q);

export class StudentsRepository {
  constructor(private readonly db: Knex) {}

  private filtered(query: ListQuery, trx: Knex) {
    const builder = trx<StudentRow>('students');
    if (query.archived) builder.whereNotNull('deleted_at');
    else builder.whereNull('deleted_at');
    if (query.status) builder.where('status', query.status);
    if (query.year !== undefined) builder.where('enrolment_year', query.year);
    if (query.q) {
      const q = likeEscape(query.q);
      if (!isNameSearch(query.q)) builder.whereRaw("student_no like ? escape '!'", [`${q}%`]);
      else
        builder.where((w) => {
          w.whereRaw("student_no like ? escape '!'", [`${q}%`]).orWhereRaw("name like ? escape '!'", [`%${q}%`]);
        });
    }
    return builder;
  }

  /**
   * One page and the number of matches. A name search (a substring: no index helps) counts only up to
   * COUNT_CAP matches past the page asked for, so a common name does not read every student row just to
   * say how many there are; `exact` is false when the count stopped there.
   */
  async list(query: ListQuery, trx: Knex = this.db): Promise<{ rows: StudentRow[]; total: number; exact: boolean }> {
    const rows = await this.filtered(query, trx)
      .select('*')
      .modify((q) => orderBySort(q, query, SORT_SQL, 'id'))
      .limit(query.size)
      .offset((query.page - 1) * query.size);
    if (!isNameSearch(query.q)) {
      const countRow = await this.filtered(query, trx).count<{ n: number | string }[]>({ n: '*' }).first();
      return { rows, total: Number(countRow?.n ?? 0), exact: true };
    }
    const cap = query.page * query.size + COUNT_CAP;
    const matches = this.filtered(query, trx)
      .select(trx.raw('1'))
      .limit(cap + 1)
      .as('m');
    const countRow = await trx.from(matches).count<{ n: number | string }[]>({ n: '*' }).first();
    const counted = Number(countRow?.n ?? 0);
    return { rows, total: Math.min(counted, cap), exact: counted <= cap };
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

  findById(id: number, trx: Knex = this.db, options: { lock?: boolean } = {}): Promise<StudentRow | undefined> {
    const q = trx<StudentRow>('students').where({ id }).first();
    return options.lock ? q.forUpdate() : q;
  }

  insert(input: StudentInput, trx: Knex = this.db, actorId: number | null = null): Promise<number> {
    return rows.insertVersioned(trx, 'students', { ...input, created_by: actorId, updated_by: actorId });
  }

  /** Optimistic update: only when the row is still at `version`. Returns the rows changed (0 or 1). */
  updateIfVersion(
    id: number,
    version: number,
    input: StudentInput,
    trx: Knex = this.db,
    actorId: number | null = null,
  ): Promise<number> {
    return rows.updateIfVersion(trx, 'students', id, version, { ...input, updated_by: actorId });
  }

  setArchived(id: number, archived: boolean, trx: Knex = this.db, actorId: number | null = null): Promise<number> {
    return rows.setArchived(trx, 'students', id, archived, { updated_by: actorId });
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
