import type { Knex } from 'knex';
import type { RecordName } from '../audit/audit-presenter';
import * as rows from '../records/versioned-rows';
import { orderBySort, type SortColumns } from '../lib/sorting';
import type { COURSE_SORTS, CourseInput, CourseListQuery } from './courses.schemas';
import { codeOrName } from '../db/like';

export interface CourseRow {
  id: number;
  code: string;
  name: string;
  name_en: string | null;
  credits: number | string;
  department_id: number | null;
  department_name?: string | null;
  department_name_en?: string | null;
  description: string | null;
  grading: string;
  version: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** The SQL behind each sortable column name (the query only ever picks a name). */
const SORT_SQL: SortColumns<(typeof COURSE_SORTS)[number]> = {
  code: 'c.code',
  name: 'c.name',
  credits: 'c.credits',
  department: 'd.name',
  grading: 'c.grading',
};

export class CoursesRepository {
  constructor(private readonly db: Knex) {}

  private filtered(query: CourseListQuery, trx: Knex) {
    const builder = trx('courses as c');
    if (query.archived) builder.whereNotNull('c.deleted_at');
    else builder.whereNull('c.deleted_at');
    const { q } = query;
    if (q) builder.where((w) => codeOrName(w, q, 'c.code', 'c.name'));
    return builder;
  }

  async list(query: CourseListQuery, trx: Knex = this.db): Promise<{ rows: CourseRow[]; total: number }> {
    const countRow = await this.filtered(query, trx).count<{ n: number | string }[]>({ n: '*' }).first();
    const rows = await this.filtered(query, trx)
      .leftJoin('departments as d', 'd.id', 'c.department_id')
      .select('c.*', 'd.name as department_name', 'd.name_en as department_name_en')
      .modify((q) => orderBySort(q, query, SORT_SQL, 'c.id'))
      .limit(query.size)
      .offset((query.page - 1) * query.size);
    return { rows: rows as CourseRow[], total: Number(countRow?.n ?? 0) };
  }

  findById(id: number, trx: Knex = this.db, options: { lock?: boolean } = {}): Promise<CourseRow | undefined> {
    const q = trx<CourseRow>('courses').where({ id }).first();
    return options.lock ? q.forUpdate() : q;
  }

  /** Active courses for the section form's course choice. */
  options(trx: Knex = this.db): Promise<Pick<CourseRow, 'id' | 'code' | 'name' | 'name_en'>[]> {
    return trx('courses').whereNull('deleted_at').select('id', 'code', 'name', 'name_en').orderBy('code').limit(2000);
  }

  /** Code and names of these courses, archived ones too (the audit log names them), in one query. */
  async namesOf(ids: readonly number[], trx: Knex = this.db): Promise<Map<number, RecordName>> {
    if (ids.length === 0) return new Map();
    const rows = await trx('courses').whereIn('id', ids).select('id', 'code', 'name', 'name_en');
    return new Map(
      rows.map((r: CourseRow) => [Number(r.id), { code: r.code, name: r.name, name_en: r.name_en ?? null }]),
    );
  }

  insert(input: CourseInput, trx: Knex = this.db): Promise<number> {
    return rows.insertVersioned(trx, 'courses', input);
  }

  /** Optimistic update: only when the row is still at `version`. Returns the rows changed (0 or 1). */
  updateIfVersion(id: number, version: number, input: CourseInput, trx: Knex = this.db): Promise<number> {
    return rows.updateIfVersion(trx, 'courses', id, version, input);
  }

  setArchived(id: number, archived: boolean, trx: Knex = this.db): Promise<number> {
    return rows.setArchived(trx, 'courses', id, archived);
  }
}
