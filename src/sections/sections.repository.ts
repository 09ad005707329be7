import type { Knex } from 'knex';
import type { RecordName } from '../audit/audit-presenter';
import * as rows from '../records/versioned-rows';
import { codeOrName } from '../db/like';
import { orderBySort, type SortColumns } from '../lib/sorting';
import type { MeetingInput, SECTION_SORTS, SectionInput, SectionListQuery } from './sections.schemas';

export interface SectionRow {
  id: number;
  course_id: number;
  term_id: number;
  section_no: string;
  teacher_staff_id: number | null;
  capacity: number;
  enrolled_count: number;
  room: string | null;
  status: string;
  grades_locked_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface MeetingRow extends MeetingInput {
  section_id: number;
}

/** One row of the section list: the section with its course, term, teacher and waiting-list size. */
export interface SectionListRow {
  id: number;
  course_id: number;
  course_code: string;
  course_name: string;
  course_name_en: string | null;
  credits: number | string;
  term_id: number;
  term_code: string;
  section_no: string;
  teacher_staff_id: number | null;
  teacher_name: string | null;
  capacity: number;
  enrolled_count: number;
  waitlisted: number | string;
  room: string | null;
  status: string;
  meetings: MeetingInput[];
}

export interface SectionDetailRow extends SectionRow {
  course_code: string;
  course_name: string;
  course_name_en: string | null;
  term_code: string;
  term_name: string;
  term_academic_year: string;
  term_semester: number;
  teacher_name: string | null;
}

const sectionColumns = (input: SectionInput) => ({
  course_id: input.course_id,
  term_id: input.term_id,
  section_no: input.section_no,
  teacher_staff_id: input.teacher_staff_id,
  capacity: input.capacity,
  room: input.room,
  status: input.status,
});

/**
 * The SQL behind each sortable column name (the query only ever picks a name). Every column is one of
 * the list query's joined rows or the waiting-list subquery's grouped count, so ONLY_FULL_GROUP_BY is
 * content; seats left is worked out as the page shows it (never below 0, and no unsigned underflow).
 */
const SORT_SQL: SortColumns<(typeof SECTION_SORTS)[number]> = {
  course_code: ['c.code', 's.section_no'],
  course_name: 'c.name',
  credits: 'c.credits',
  teacher: 'st.name',
  capacity: 's.capacity',
  enrolled: 's.enrolled_count',
  seats_left: { raw: 'case when s.capacity > s.enrolled_count then s.capacity - s.enrolled_count else 0 end' },
  waitlisted: { raw: 'coalesce(w.n, 0)' },
};

export class SectionsRepository {
  constructor(private readonly db: Knex) {}

  private filtered(termId: number, query: SectionListQuery, trx: Knex) {
    const builder = trx('sections as s')
      .join('courses as c', 'c.id', 's.course_id')
      .where('s.term_id', termId)
      .modify((q) => (query.archived ? q.whereNotNull('s.deleted_at') : q.whereNull('s.deleted_at')));
    const { q } = query;
    if (q) builder.where((w) => codeOrName(w, q, 'c.code', 'c.name'));
    return builder;
  }

  /**
   * One page of a term's sections. The waiting-list sizes come from one grouped subquery limited to
   * the term (every selected column is grouped or aggregated, as ONLY_FULL_GROUP_BY wants), and the
   * meetings of the whole page from one more query: never a query per row.
   */
  async list(
    termId: number,
    query: SectionListQuery,
    trx: Knex = this.db,
  ): Promise<{ rows: SectionListRow[]; total: number }> {
    const countRow = await this.filtered(termId, query, trx).count<{ n: number | string }[]>({ n: '*' }).first();
    const waitlists = trx('enrolments as e')
      .join('sections as ws', 'ws.id', 'e.section_id')
      .where('e.status', 'waitlisted')
      .andWhere('ws.term_id', termId)
      .groupBy('e.section_id')
      .select('e.section_id')
      .count({ n: '*' })
      .as('w');
    const rows = (await this.filtered(termId, query, trx)
      .join('terms as t', 't.id', 's.term_id')
      .leftJoin('staff as st', 'st.id', 's.teacher_staff_id')
      .leftJoin(waitlists, 'w.section_id', 's.id')
      .select(
        's.id',
        's.course_id',
        'c.code as course_code',
        'c.name as course_name',
        'c.name_en as course_name_en',
        'c.credits',
        's.term_id',
        't.code as term_code',
        's.section_no',
        's.teacher_staff_id',
        'st.name as teacher_name',
        's.capacity',
        's.enrolled_count',
        trx.raw('coalesce(w.n, 0) as waitlisted'),
        's.room',
        's.status',
      )
      .modify((q) => orderBySort(q, query, SORT_SQL, 's.id'))
      .limit(query.size)
      .offset((query.page - 1) * query.size)) as Omit<SectionListRow, 'meetings'>[];
    const meetings = await this.meetingsOf(
      rows.map((r) => r.id),
      trx,
    );
    return {
      rows: rows.map((r) => ({ ...r, meetings: meetings.get(r.id) ?? [] })),
      total: Number(countRow?.n ?? 0),
    };
  }

  async meetingsOf(sectionIds: number[], trx: Knex = this.db): Promise<Map<number, MeetingInput[]>> {
    const bySection = new Map<number, MeetingInput[]>();
    if (sectionIds.length === 0) return bySection;
    const rows = await trx<MeetingRow & { id: number }>('section_meetings')
      .whereIn('section_id', sectionIds)
      .select('section_id', 'day_of_week', 'start_period', 'end_period')
      .orderBy(['section_id', 'day_of_week', 'start_period', 'id']);
    for (const { section_id, ...meeting } of rows) {
      const list = bySection.get(section_id) ?? [];
      list.push(meeting);
      bySection.set(section_id, list);
    }
    return bySection;
  }

  findById(id: number, trx: Knex = this.db, options: { lock?: boolean } = {}): Promise<SectionRow | undefined> {
    const q = trx<SectionRow>('sections').where({ id }).first();
    return options.lock ? q.forUpdate() : q;
  }

  /** Each section as "COURSE-NO" and its course's names, archived ones too (the audit log), in one query. */
  async namesOf(ids: readonly number[], trx: Knex = this.db): Promise<Map<number, RecordName>> {
    if (ids.length === 0) return new Map();
    const rows: { id: number; section_no: string; code: string; name: string; name_en: string | null }[] = await trx(
      'sections as s',
    )
      .join('courses as c', 'c.id', 's.course_id')
      .whereIn('s.id', ids)
      .select('s.id', 's.section_no', 'c.code', 'c.name', 'c.name_en');
    return new Map(
      rows.map((r) => [Number(r.id), { code: `${r.code}-${r.section_no}`, name: r.name, name_en: r.name_en ?? null }]),
    );
  }

  findDetail(id: number, trx: Knex = this.db): Promise<SectionDetailRow | undefined> {
    return trx('sections as s')
      .join('courses as c', 'c.id', 's.course_id')
      .join('terms as t', 't.id', 's.term_id')
      .leftJoin('staff as st', 'st.id', 's.teacher_staff_id')
      .where('s.id', id)
      .first(
        's.*',
        'c.code as course_code',
        'c.name as course_name',
        'c.name_en as course_name_en',
        't.code as term_code',
        't.name as term_name',
        't.academic_year as term_academic_year',
        't.semester as term_semester',
        'st.name as teacher_name',
      );
  }

  /** Enrolment rows of any status (enrolled, waitlisted, dropped) hanging on the section. */
  async enrolmentCount(sectionId: number, trx: Knex = this.db): Promise<number> {
    const row = await trx('enrolments')
      .where('section_id', sectionId)
      .count<{ n: number | string }[]>({ n: '*' })
      .first();
    return Number(row?.n ?? 0);
  }

  insert(input: SectionInput, trx: Knex = this.db): Promise<number> {
    return rows.insertVersioned(trx, 'sections', { ...sectionColumns(input), enrolled_count: 0 });
  }

  /** Optimistic update: only when the row is still at `version`. enrolled_count is never touched here. */
  updateIfVersion(id: number, version: number, input: SectionInput, trx: Knex = this.db): Promise<number> {
    return rows.updateIfVersion(trx, 'sections', id, version, sectionColumns(input));
  }

  /** Call inside the section's write transaction: the old rows go and the new ones arrive together. */
  async replaceMeetings(sectionId: number, meetings: MeetingInput[], trx: Knex = this.db): Promise<void> {
    await trx('section_meetings').where('section_id', sectionId).delete();
    if (meetings.length > 0) {
      await trx('section_meetings').insert(meetings.map((m) => ({ section_id: sectionId, ...m })));
    }
  }

  setArchived(id: number, archived: boolean, trx: Knex = this.db): Promise<number> {
    return rows.setArchived(trx, 'sections', id, archived);
  }
}
