import type { Knex } from 'knex';
import { sqlNow } from '../lib/time';
import type { Grading } from '../grades/grades.repository';

/** One course a student takes or took: the section, its term, and the grade once published. */
export interface CourseRecord {
  enrolment_id: number;
  section_id: number;
  section_no: string;
  room: string | null;
  teacher: string | null;
  term_id: number;
  term_code: string;
  term_name: string;
  /** With the semester, the term's English name (i18n/names.ts). */
  term_academic_year: string;
  term_semester: number;
  is_current: boolean;
  course_code: string;
  course_name: string;
  course_name_en: string | null;
  credits: number;
  grading: Grading;
  /** null until the section's grades are locked (published). */
  score: number | null;
  passed: boolean | null;
  published: boolean;
  /** Published once, then reopened by an administrator for correction: shown as such, counted nowhere. */
  being_corrected: boolean;
}

export interface MeetingRow {
  section_id: number;
  day_of_week: number;
  start_period: number;
  end_period: number;
}

export interface ContactInput {
  email: string | null;
  phone: string | null;
  address: string | null;
}

export class MeRepository {
  constructor(private readonly db: Knex) {}

  /** The student's enrolled courses, oldest term first. Unpublished grades are never read out. */
  async courses(studentId: number, trx: Knex = this.db): Promise<CourseRecord[]> {
    const rows: Record<string, unknown>[] = await trx('enrolments as e')
      .join('sections as s', 's.id', 'e.section_id')
      .join('courses as c', 'c.id', 's.course_id')
      .join('terms as t', 't.id', 's.term_id')
      .leftJoin('staff as tch', 'tch.id', 's.teacher_staff_id')
      .leftJoin('grades as g', 'g.enrolment_id', 'e.id')
      .where({ 'e.student_id': studentId, 'e.status': 'enrolled' })
      .whereNull('s.deleted_at')
      .orderBy('t.starts_on')
      .orderBy('t.id')
      .orderBy('c.code')
      .orderBy('s.id')
      .select(
        'e.id as enrolment_id',
        's.id as section_id',
        's.section_no',
        's.room',
        's.grades_locked_at',
        's.grades_reopened_at',
        'tch.name as teacher',
        't.id as term_id',
        't.code as term_code',
        't.name as term_name',
        't.academic_year as term_academic_year',
        't.semester as term_semester',
        't.current_marker',
        'c.code as course_code',
        'c.name as course_name',
        'c.name_en as course_name_en',
        'c.credits',
        'c.grading',
        'g.score',
        'g.passed',
      );
    return rows.map((r) => {
      const published = r.grades_locked_at !== null && r.grades_locked_at !== undefined;
      return {
        enrolment_id: Number(r.enrolment_id),
        section_id: Number(r.section_id),
        section_no: String(r.section_no),
        room: (r.room as string | null) ?? null,
        teacher: (r.teacher as string | null) ?? null,
        term_id: Number(r.term_id),
        term_code: String(r.term_code),
        term_name: String(r.term_name),
        term_academic_year: String(r.term_academic_year),
        term_semester: Number(r.term_semester),
        is_current: Number(r.current_marker) === 1,
        course_code: String(r.course_code),
        course_name: String(r.course_name),
        course_name_en: (r.course_name_en as string | null | undefined) ?? null,
        credits: Number(r.credits),
        grading: r.grading as Grading,
        score: published && r.score !== null && r.score !== undefined ? Number(r.score) : null,
        passed: published && r.passed !== null && r.passed !== undefined ? Boolean(Number(r.passed)) : null,
        published,
        being_corrected: !published && r.grades_reopened_at !== null && r.grades_reopened_at !== undefined,
      };
    });
  }

  meetings(sectionIds: number[], trx: Knex = this.db): Promise<MeetingRow[]> {
    if (sectionIds.length === 0) return Promise.resolve([]);
    return trx('section_meetings')
      .whereIn('section_id', sectionIds)
      .orderBy('day_of_week')
      .orderBy('start_period')
      .select('section_id', 'day_of_week', 'start_period', 'end_period');
  }

  /** Optimistic update of the three fields a student may change. Returns the rows changed (0 or 1). */
  updateContact(id: number, version: number, input: ContactInput, actorId: number | null, trx: Knex = this.db) {
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
}
