import type { Knex } from 'knex';
import { type BatchKey, whereKeyset } from '../lib/keyset';
import { sqlNow } from '../lib/time';

export type EnrolmentStatus = 'enrolled' | 'waitlisted' | 'dropped';

export interface EnrolmentRow {
  id: number;
  section_id: number;
  student_id: number;
  status: EnrolmentStatus;
  waitlist_seq: number | string | null;
  window_override: number | boolean;
  enrolled_at: string | null;
  dropped_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

/** A section with what selection needs to know: its course and its term's selection window. */
export interface SectionForSelection {
  id: number;
  term_id: number;
  course_id: number;
  capacity: number;
  enrolled_count: number;
  status: string;
  course_code: string;
  course_name: string;
  course_name_en: string | null;
  selection_opens_at: string | null;
  selection_closes_at: string | null;
}

export interface StudentEnrolmentView {
  enrolment_id: number;
  section_id: number;
  section_no: string;
  term_id: number;
  course_code: string;
  course_name: string;
  credits: number;
  status: 'enrolled' | 'waitlisted';
  /** The place on the waiting list (1 = next to be promoted); null when enrolled. */
  position: number | null;
}

/** One line of a section's roster: a seat or a waiting-list place, with the student's class. */
export interface RosterLine {
  enrolment_id: number;
  student_id: number;
  student_no: string;
  name: string;
  student_status: string;
  class_code: string | null;
  class_name: string | null;
  status: 'enrolled' | 'waitlisted';
  /** 1 = next to be promoted; null for a seat. */
  position: number | null;
  window_override: boolean;
}

export interface LockedStudent {
  id: number;
  student_no: string;
  name: string;
  /** enrolled (in study) | suspended | graduated | withdrawn: only a student in study may take a place. */
  status: string;
  deleted_at: string | null;
  /** The year group, whose selection round (if any) is the student's window. */
  enrolment_year: number;
}

const asNumber = (v: unknown): number => Number(v ?? 0);

export class EnrolmentsRepository {
  constructor(private readonly db: Knex) {}

  /** The section with its course and term's window, read without locks (the cheap refusals come first). */
  async sectionForSelection(id: number, trx: Knex = this.db): Promise<SectionForSelection | undefined> {
    const row = await trx('sections as s')
      .join('courses as c', 'c.id', 's.course_id')
      .join('terms as t', 't.id', 's.term_id')
      .where('s.id', id)
      .whereNull('s.deleted_at')
      .first(
        's.id',
        's.term_id',
        's.course_id',
        's.capacity',
        's.enrolled_count',
        's.status',
        'c.code as course_code',
        'c.name as course_name',
        'c.name_en as course_name_en',
        't.selection_opens_at',
        't.selection_closes_at',
      );
    if (!row) return undefined;
    return { ...row, capacity: asNumber(row.capacity), enrolled_count: asNumber(row.enrolled_count) };
  }

  /**
   * Locks the section row: the one point where a section's selections queue. Only the seat, the
   * waiting list and the writes happen after it, so the lock is held as briefly as possible.
   */
  lockSection(id: number, trx: Knex.Transaction): Promise<{ id: number; status: string } | undefined> {
    return trx('sections').where({ id }).whereNull('deleted_at').forUpdate().first('id', 'status');
  }

  /**
   * Locks the student row: one selection at a time per student, so two clashing sections cannot both
   * win. Every change to a student's places (enrolling, dropping, a promotion) holds this lock.
   */
  lockStudent(id: number, trx: Knex.Transaction): Promise<LockedStudent | undefined> {
    return trx('students')
      .where({ id })
      .forUpdate()
      .first('id', 'student_no', 'name', 'status', 'deleted_at', 'enrolment_year');
  }

  /** The student's enrolment year (年级), whose selection round applies to them. */
  async enrolmentYearOf(id: number, trx: Knex = this.db): Promise<number | undefined> {
    const row = await trx('students').where({ id }).first('enrolment_year');
    return row ? Number(row.enrolment_year) : undefined;
  }

  find(sectionId: number, studentId: number, trx: Knex = this.db, lock = false): Promise<EnrolmentRow | undefined> {
    const q = trx<EnrolmentRow>('enrolments').where({ section_id: sectionId, student_id: studentId }).first();
    return lock ? q.forUpdate() : q;
  }

  findById(id: number, trx: Knex = this.db): Promise<EnrolmentRow | undefined> {
    return trx<EnrolmentRow>('enrolments').where({ id }).first();
  }

  /**
   * The first course this section's meetings overlap among the student's other enrolled sections of the
   * term. `current` reads the student's seats with a locking read (LOCK IN SHARE MODE): a transaction
   * that took its snapshot before it locked the student (a drop promoting a waiting student) would
   * otherwise miss a seat taken since. Only the student's enrolled rows are locked, never a section.
   */
  async findClash(
    sectionId: number,
    termId: number,
    studentId: number,
    trx: Knex = this.db,
    current = false,
  ): Promise<{ code: string; name: string; name_en: string | null } | undefined> {
    const seats = trx('enrolments').where({ student_id: studentId, status: 'enrolled' }).select('section_id');
    const enrolledIn = (await (current ? seats.forShare() : seats)).map((r: { section_id: number }) => r.section_id);
    if (enrolledIn.length === 0) return undefined;
    const row = await trx('section_meetings as mine')
      .join('section_meetings as other', function overlap() {
        this.on('other.day_of_week', '=', 'mine.day_of_week')
          .andOn('other.start_period', '<=', 'mine.end_period')
          .andOn('mine.start_period', '<=', 'other.end_period');
      })
      .join('sections as s', 's.id', 'other.section_id')
      .join('courses as c', 'c.id', 's.course_id')
      .where('mine.section_id', sectionId)
      .andWhere('s.term_id', termId)
      .andWhere('s.id', '<>', sectionId)
      .whereIn('s.id', enrolledIn)
      .whereNull('s.deleted_at')
      .orderBy('c.code')
      .first('c.code', 'c.name', 'c.name_en');
    return row ? { code: row.code, name: row.name, name_en: row.name_en ?? null } : undefined;
  }

  /** The guarded seat: 1 when a seat was taken, 0 when the section is full. */
  takeSeat(sectionId: number, trx: Knex): Promise<number> {
    return trx('sections')
      .where({ id: sectionId })
      .andWhere('enrolled_count', '<', trx.ref('capacity'))
      .update({ enrolled_count: trx.raw('enrolled_count + 1') });
  }

  /** Seats left, under the section lock (a locking read: the snapshot may predate the lock). */
  async freeSeats(sectionId: number, trx: Knex.Transaction): Promise<number> {
    const row = await trx('sections').where({ id: sectionId }).forUpdate().first('capacity', 'enrolled_count');
    return row ? asNumber(row.capacity) - asNumber(row.enrolled_count) : 0;
  }

  releaseSeat(sectionId: number, trx: Knex): Promise<number> {
    return trx('sections')
      .where({ id: sectionId })
      .andWhere('enrolled_count', '>', 0)
      .update({ enrolled_count: trx.raw('enrolled_count - 1') });
  }

  /**
   * The last waiting-list number of a section and how many are waiting; under the section lock, so the
   * next number (last + 1) cannot be taken twice and the new place is number `waiting + 1` in line.
   * A locking read: a plain one would answer from the transaction's snapshot, taken before the lock.
   */
  async waitlistTail(sectionId: number, trx: Knex): Promise<{ lastSeq: number; waiting: number }> {
    const row = (await trx('enrolments')
      .where({ section_id: sectionId })
      .first(
        trx.raw('max(waitlist_seq) as last_seq'),
        trx.raw("sum(case when status = 'waitlisted' then 1 else 0 end) as waiting"),
      )
      .forUpdate()) as { last_seq: number | string | null; waiting: number | string | null } | undefined;
    return { lastSeq: asNumber(row?.last_seq), waiting: asNumber(row?.waiting) };
  }

  /** The section's waiting list in promotion order, locked. */
  waiting(sectionId: number, trx: Knex.Transaction): Promise<EnrolmentRow[]> {
    return trx<EnrolmentRow>('enrolments')
      .where({ section_id: sectionId, status: 'waitlisted' })
      .orderBy('waitlist_seq')
      .orderBy('id')
      .forUpdate();
  }

  /** Inserts the student's row, or brings back a dropped one (the unique key allows one row per pair, ever). */
  async place(
    existing: EnrolmentRow | undefined,
    data: {
      sectionId: number;
      studentId: number;
      status: 'enrolled' | 'waitlisted';
      waitlistSeq: number | null;
      windowOverride: boolean;
    },
    trx: Knex,
  ): Promise<number> {
    const now = sqlNow();
    const values = {
      status: data.status,
      waitlist_seq: data.waitlistSeq,
      window_override: data.windowOverride,
      enrolled_at: data.status === 'enrolled' ? now : null,
      dropped_at: null,
      updated_at: now,
    };
    if (existing) {
      await trx('enrolments')
        .where({ id: existing.id })
        .update({ ...values, version: trx.raw('version + 1') });
      return existing.id;
    }
    const [id] = await trx('enrolments').insert({
      ...values,
      section_id: data.sectionId,
      student_id: data.studentId,
      version: 1,
      created_at: now,
    });
    return Number(id);
  }

  /** `windowOverride` records that the drop was made by staff outside the selection window. */
  async markDropped(id: number, windowOverride: boolean, trx: Knex): Promise<void> {
    const now = sqlNow();
    await trx('enrolments')
      .where({ id })
      .update({
        status: 'dropped',
        waitlist_seq: null,
        window_override: windowOverride,
        dropped_at: now,
        version: trx.raw('version + 1'),
        updated_at: now,
      });
  }

  async promote(id: number, trx: Knex): Promise<void> {
    const now = sqlNow();
    await trx('enrolments')
      .where({ id, status: 'waitlisted' })
      .update({
        status: 'enrolled',
        waitlist_seq: null,
        enrolled_at: now,
        version: trx.raw('version + 1'),
        updated_at: now,
      });
  }

  /** A student's live places (enrolled or waiting) with the waiting position, optionally in one term. */
  async forStudent(studentId: number, termId?: number, trx: Knex = this.db): Promise<StudentEnrolmentView[]> {
    const rows = await trx('enrolments as e')
      .join('sections as s', 's.id', 'e.section_id')
      .join('courses as c', 'c.id', 's.course_id')
      .where('e.student_id', studentId)
      .whereIn('e.status', ['enrolled', 'waitlisted'])
      .modify((q) => {
        if (termId !== undefined) q.andWhere('s.term_id', termId);
      })
      .orderBy('s.term_id')
      .orderBy('c.code')
      .select(
        'e.id as enrolment_id',
        'e.section_id',
        's.section_no',
        's.term_id',
        'c.code as course_code',
        'c.name as course_name',
        'c.credits',
        'e.status',
        trx.raw(
          `(select count(*) from enrolments w where w.section_id = e.section_id and w.status = 'waitlisted'
            and w.waitlist_seq <= e.waitlist_seq) as waiting_ahead`,
        ),
      );
    return rows.map((r: Record<string, unknown>) => ({
      enrolment_id: Number(r.enrolment_id),
      section_id: Number(r.section_id),
      section_no: String(r.section_no),
      term_id: Number(r.term_id),
      course_code: String(r.course_code),
      course_name: String(r.course_name),
      credits: Number(r.credits),
      status: r.status as 'enrolled' | 'waitlisted',
      position: r.status === 'waitlisted' ? Number(r.waiting_ahead) : null,
    }));
  }

  /**
   * The section's seats (by student number) and its waiting list (in promotion order), with each
   * student's class: one query, the positions counted here from the order.
   */
  async roster(sectionId: number, trx: Knex = this.db): Promise<RosterLine[]> {
    const rows: Record<string, unknown>[] = await this.rosterQuery(sectionId, ['enrolled', 'waitlisted'], trx)
      .orderBy('e.status', 'asc')
      .orderBy('e.waitlist_seq', 'asc')
      .orderBy('st.student_no', 'asc')
      .orderBy('e.id', 'asc');
    let waiting = 0;
    return rows.map((r) => toRosterLine(r, r.status === 'waitlisted' ? ++waiting : null));
  }

  /**
   * The seats (`enrolled`, by student number) or the waiting list (`waitlisted`, in promotion order) of a
   * section past `after`, at most `limit` (an export's batches). `position` is left to the caller, who
   * counts the waiting list from its start.
   */
  async rosterBatch(
    sectionId: number,
    status: RosterLine['status'],
    after: BatchKey | undefined,
    limit: number,
    trx: Knex = this.db,
  ): Promise<(RosterLine & { sort_key: string | number })[]> {
    const column = status === 'enrolled' ? 'st.student_no' : 'e.waitlist_seq';
    const rows: Record<string, unknown>[] = await this.rosterQuery(sectionId, [status], trx)
      .select(`${column} as sort_key`)
      .modify((q) => after && whereKeyset(q, column, 'e.id', 'asc', after))
      .orderBy(column, 'asc')
      .orderBy('e.id', 'asc')
      .limit(limit);
    return rows.map((r) => ({ ...toRosterLine(r, null), sort_key: r.sort_key as string | number }));
  }

  private rosterQuery(sectionId: number, statuses: readonly string[], trx: Knex) {
    return trx('enrolments as e')
      .join('students as st', 'st.id', 'e.student_id')
      .leftJoin('classes as cl', 'cl.id', 'st.class_id')
      .where('e.section_id', sectionId)
      .whereIn('e.status', statuses)
      .select<Record<string, unknown>[]>(
        'e.id as enrolment_id',
        'e.student_id',
        'st.student_no',
        'st.name',
        'st.status as student_status',
        'cl.code as class_code',
        'cl.name as class_name',
        'e.status',
        'e.window_override',
      );
  }
}

function toRosterLine(r: Record<string, unknown>, position: number | null): RosterLine {
  return {
    enrolment_id: Number(r.enrolment_id),
    student_id: Number(r.student_id),
    student_no: String(r.student_no),
    name: String(r.name),
    student_status: String(r.student_status),
    class_code: r.class_code === null ? null : String(r.class_code),
    class_name: r.class_name === null ? null : String(r.class_name),
    status: r.status as 'enrolled' | 'waitlisted',
    position,
    window_override: Boolean(r.window_override),
  };
}
