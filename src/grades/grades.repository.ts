import type { Knex } from 'knex';
import type { AuditAction } from '../audit/audit-actions';
import { type BatchKey, whereKeyset } from '../lib/keyset';
import { sqlNow } from '../lib/time';

export type Grading = 'score' | 'pass_fail';

export interface SectionForGrades {
  id: number;
  section_no: string;
  grades_locked_at: string | null;
  /** Set while an administrator has the published grades reopened for correction (until locked again). */
  grades_reopened_at: string | null;
  version: number;
  course_code: string;
  course_name: string;
  course_name_en: string | null;
  credits: number;
  grading: Grading;
  term_code: string;
  term_name: string;
  /** With the semester, the term's English name (i18n/names.ts). */
  term_academic_year: string;
  term_semester: number;
}

/** One row of the grid: an enrolled student and their grade, if any (grade_id null: none yet). */
export interface GridRow {
  enrolment_id: number;
  student_id: number;
  student_no: string;
  name: string;
  grade_id: number | null;
  score: number | null;
  passed: boolean | null;
  version: number;
}

export interface GradeRow {
  id: number;
  enrolment_id: number;
  score: number | null;
  passed: boolean | null;
  version: number;
  created_at: string;
  updated_at: string;
  updated_by: number | null;
}

/** The last lock or reopen of a section's grades, from its audit trail (seeded locks have none). */
export interface GradesEvent {
  actor_username: string | null;
  at: string;
  /** The administrator's reason, for a reopen. */
  reason: string | null;
}

export interface GradeValues {
  score: number | null;
  passed: boolean | null;
}

// MySQL answers DECIMAL as a string and booleans as 0/1: one shape for both databases.
const toNumber = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const toBool = (v: unknown): boolean | null => (v === null || v === undefined ? null : Boolean(Number(v)));

function toGridRow(r: Record<string, unknown>): GridRow {
  return {
    ...(r as unknown as GridRow),
    enrolment_id: Number(r.enrolment_id),
    grade_id: toNumber(r.grade_id),
    score: toNumber(r.score),
    passed: toBool(r.passed),
    version: r.version === null || r.version === undefined ? 0 : Number(r.version),
  };
}

function normaliseGrade(row: Record<string, unknown>): GradeRow {
  return {
    ...(row as unknown as GradeRow),
    score: toNumber(row.score),
    passed: toBool(row.passed),
  };
}

export class GradesRepository {
  constructor(private readonly db: Knex) {}

  async findSection(id: number, trx: Knex = this.db, options: { lock?: boolean } = {}) {
    if (options.lock) await trx('sections').where({ id }).forUpdate().select('id');
    const row = await trx('sections as s')
      .join('courses as c', 'c.id', 's.course_id')
      .join('terms as t', 't.id', 's.term_id')
      .where('s.id', id)
      .whereNull('s.deleted_at')
      .first(
        's.id',
        's.section_no',
        's.grades_locked_at',
        's.grades_reopened_at',
        's.version',
        'c.code as course_code',
        'c.name as course_name',
        'c.name_en as course_name_en',
        'c.credits',
        'c.grading',
        't.code as term_code',
        't.name as term_name',
        't.academic_year as term_academic_year',
        't.semester as term_semester',
      );
    if (!row) return undefined;
    return { ...row, credits: Number(row.credits) } as SectionForGrades;
  }

  async grid(sectionId: number, trx: Knex = this.db): Promise<GridRow[]> {
    const rows = await this.gridQuery(sectionId, trx);
    return rows.map(toGridRow);
  }

  /** The grid's rows past `after` (student number, enrolment id), at most `limit` (an export's batches). */
  async gridBatch(
    sectionId: number,
    after: BatchKey | undefined,
    limit: number,
    trx: Knex = this.db,
  ): Promise<GridRow[]> {
    const rows = await this.gridQuery(sectionId, trx)
      .modify((q) => after && whereKeyset(q, 'st.student_no', 'e.id', 'asc', after))
      .limit(limit);
    return rows.map(toGridRow);
  }

  /** Every enrolled student of the section and their grade, by student number. */
  private gridQuery(sectionId: number, trx: Knex) {
    return trx('enrolments as e')
      .join('students as st', 'st.id', 'e.student_id')
      .leftJoin('grades as g', 'g.enrolment_id', 'e.id')
      .where({ 'e.section_id': sectionId, 'e.status': 'enrolled' })
      .orderBy('st.student_no')
      .orderBy('e.id')
      .select<Record<string, unknown>[]>(
        'e.id as enrolment_id',
        'st.id as student_id',
        'st.student_no',
        'st.name',
        'g.id as grade_id',
        'g.score',
        'g.passed',
        'g.version',
      );
  }

  /**
   * Which of these enrolments have a grade recorded (a score, or pass / fail). `current`: a locking read,
   * for a check under the section's lock (a drop), where the transaction's snapshot may predate the lock.
   */
  async gradedAmong(enrolmentIds: readonly number[], trx: Knex = this.db, current = false): Promise<number[]> {
    const q = trx('grades')
      .whereIn('enrolment_id', [...enrolmentIds])
      .where((w) => w.whereNotNull('score').orWhereNotNull('passed'))
      .select('enrolment_id');
    const rows: { enrolment_id: number }[] = await (current ? q.forShare() : q);
    return rows.map((r) => Number(r.enrolment_id));
  }

  async findGrade(enrolmentId: number, trx: Knex = this.db): Promise<GradeRow | undefined> {
    const row = await trx('grades').where({ enrolment_id: enrolmentId }).first();
    return row ? normaliseGrade(row) : undefined;
  }

  async insert(enrolmentId: number, values: GradeValues, actorId: number | null, trx: Knex = this.db): Promise<void> {
    const now = sqlNow();
    await trx('grades').insert({
      enrolment_id: enrolmentId,
      ...values,
      version: 1,
      created_at: now,
      updated_at: now,
      updated_by: actorId,
    });
  }

  /** Optimistic update: only when the grade is still at `version`. Returns the rows changed (0 or 1). */
  updateIfVersion(
    enrolmentId: number,
    version: number,
    values: GradeValues,
    actorId: number | null,
    trx: Knex = this.db,
  ): Promise<number> {
    return trx('grades')
      .where({ enrolment_id: enrolmentId, version })
      .update({ ...values, version: trx.raw('version + 1'), updated_at: sqlNow(), updated_by: actorId });
  }

  /** Locks (publishes) the grades of a section once; 0 when they were already locked. Ends a reopening. */
  lockSection(sectionId: number, trx: Knex = this.db): Promise<number> {
    const now = sqlNow();
    return trx('sections')
      .where({ id: sectionId })
      .whereNull('grades_locked_at')
      .update({ grades_locked_at: now, grades_reopened_at: null, version: trx.raw('version + 1'), updated_at: now });
  }

  /** Unlocks published grades for correction; 0 when they were not locked. */
  reopenSection(sectionId: number, trx: Knex = this.db): Promise<number> {
    const now = sqlNow();
    return trx('sections')
      .where({ id: sectionId })
      .whereNotNull('grades_locked_at')
      .update({ grades_locked_at: null, grades_reopened_at: now, version: trx.raw('version + 1'), updated_at: now });
  }

  /** Who last did `action` ('lock_grades' or 'reopen_grades') to the section's grades, and when. */
  async lastEvent(
    sectionId: number,
    action: Extract<AuditAction, 'lock_grades' | 'reopen_grades'>,
    trx: Knex = this.db,
  ): Promise<GradesEvent | undefined> {
    const row = await trx('audit_log')
      .where({ entity: 'section', entity_id: String(sectionId), action })
      .orderBy('id', 'desc')
      .first('actor_username', 'at', 'after_json');
    if (!row) return undefined;
    let reason: string | null = null;
    try {
      const after = row.after_json ? (JSON.parse(String(row.after_json)) as { reason?: unknown }) : {};
      reason = typeof after.reason === 'string' ? after.reason : null;
    } catch {
      reason = null;
    }
    return { actor_username: row.actor_username ?? null, at: row.at, reason };
  }
}
