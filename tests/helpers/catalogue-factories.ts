// Terms, courses, sections (with meetings) and enrolment rows for tests, inserted with plain knex so
// any suite can build a catalogue without going through the HTTP layer. Signatures are relied on by
// other suites (enrolments, grades, /me): extend with optional fields, never change what is there.
import type { Knex } from 'knex';
import { sqlNow } from '../../src/lib/time';

let counter = 0;
const next = () => `${process.pid % 10000}${String(++counter).padStart(4, '0')}`;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface TermOverrides {
  code?: string;
  name?: string;
  academic_year?: string;
  semester?: number;
  starts_on?: string;
  ends_on?: string;
  /** true: this becomes the one current term (current_marker = 1), clearing the marker elsewhere. */
  current?: boolean;
  /** Defaults: opened yesterday, closes in a week (the window is open now). null leaves it unset. */
  selection_opens_at?: string | Date | null;
  selection_closes_at?: string | Date | null;
}

export interface MeetingInput {
  day_of_week: number;
  start_period: number;
  end_period: number;
}

export interface CourseOverrides {
  code?: string;
  name?: string;
  name_en?: string | null;
  credits?: number;
  department_id?: number | null;
  description?: string | null;
  grading?: 'score' | 'pass_fail';
}

export interface SectionOverrides {
  courseId?: number;
  termId?: number;
  sectionNo?: string;
  capacity?: number;
  /** Default: none, so sections made for unrelated purposes never clash on a timetable. */
  meetings?: MeetingInput[];
  status?: 'open' | 'closed';
  teacherStaffId?: number | null;
  room?: string | null;
  /** Sets sections.enrolled_count directly (no enrolment rows are made). */
  enrolledCount?: number;
}

const asSqlTime = (value: string | Date | null): string | null => (value instanceof Date ? sqlNow(value) : value);

export async function createTerm(db: Knex, overrides: TermOverrides = {}): Promise<{ id: number; code: string }> {
  const n = next();
  const now = sqlNow();
  const code = overrides.code ?? `TM${n}`;
  const opens =
    overrides.selection_opens_at === undefined ? new Date(Date.now() - DAY_MS) : overrides.selection_opens_at;
  const closes =
    overrides.selection_closes_at === undefined ? new Date(Date.now() + 7 * DAY_MS) : overrides.selection_closes_at;
  if (overrides.current) await db('terms').whereNotNull('current_marker').update({ current_marker: null });
  const [id] = await db('terms').insert({
    code,
    academic_year: overrides.academic_year ?? '2026-2027',
    semester: overrides.semester ?? 1,
    name: overrides.name ?? `学期 ${n}`,
    current_marker: overrides.current ? 1 : null,
    starts_on: overrides.starts_on ?? '2026-09-01',
    ends_on: overrides.ends_on ?? '2027-01-20',
    selection_opens_at: asSqlTime(opens),
    selection_closes_at: asSqlTime(closes),
    created_at: now,
    updated_at: now,
  });
  return { id: Number(id), code };
}

export async function createCourse(
  db: Knex,
  overrides: CourseOverrides = {},
): Promise<{ id: number; code: string; credits: number }> {
  const n = next();
  const now = sqlNow();
  const code = overrides.code ?? `CRS${n}`;
  const credits = overrides.credits ?? 3;
  const [id] = await db('courses').insert({
    code,
    name: overrides.name ?? `课程 ${n}`,
    name_en: overrides.name_en ?? null,
    credits,
    department_id: overrides.department_id ?? null,
    description: overrides.description ?? null,
    grading: overrides.grading ?? 'score',
    created_at: now,
    updated_at: now,
  });
  return { id: Number(id), code, credits };
}

export async function createSection(
  db: Knex,
  overrides: SectionOverrides = {},
): Promise<{ id: number; courseId: number; termId: number; sectionNo: string }> {
  const now = sqlNow();
  const courseId = overrides.courseId ?? (await createCourse(db)).id;
  const termId = overrides.termId ?? (await createTerm(db)).id;
  const sectionNo = overrides.sectionNo ?? `S${String(++counter).padStart(4, '0')}`.slice(0, 8);
  const [id] = await db('sections').insert({
    course_id: courseId,
    term_id: termId,
    section_no: sectionNo,
    teacher_staff_id: overrides.teacherStaffId ?? null,
    capacity: overrides.capacity ?? 30,
    enrolled_count: overrides.enrolledCount ?? 0,
    room: overrides.room ?? null,
    status: overrides.status ?? 'open',
    created_at: now,
    updated_at: now,
  });
  const sectionId = Number(id);
  const meetings = overrides.meetings ?? [];
  if (meetings.length > 0) {
    await db('section_meetings').insert(meetings.map((m) => ({ section_id: sectionId, ...m })));
  }
  return { id: sectionId, courseId, termId, sectionNo };
}

/** A staff member (optionally linked to a user account), to teach sections. */
export async function createStaffMember(
  db: Knex,
  overrides: { name?: string; userId?: number | null; departmentId?: number | null } = {},
): Promise<{ id: number; staffNo: string }> {
  const n = next();
  const now = sqlNow();
  const staffNo = `SF${n}`;
  const [id] = await db('staff').insert({
    staff_no: staffNo,
    name: overrides.name ?? `教师 ${n}`,
    department_id: overrides.departmentId ?? null,
    user_id: overrides.userId ?? null,
    created_at: now,
    updated_at: now,
  });
  return { id: Number(id), staffNo };
}

/**
 * A raw enrolment row. With status 'enrolled' it also bumps sections.enrolled_count, as the
 * enrolment service would; 'waitlisted' gets the next waitlist_seq of its section.
 */
export async function insertEnrolment(
  db: Knex,
  sectionId: number,
  studentId: number,
  status: 'enrolled' | 'waitlisted' | 'dropped' = 'enrolled',
): Promise<{ id: number }> {
  const now = sqlNow();
  let waitlistSeq: number | null = null;
  if (status === 'waitlisted') {
    const row = (await db('enrolments').where({ section_id: sectionId }).max({ m: 'waitlist_seq' }).first()) as
      { m: number | string | null } | undefined;
    waitlistSeq = Number(row?.m ?? 0) + 1;
  }
  const [id] = await db('enrolments').insert({
    section_id: sectionId,
    student_id: studentId,
    status,
    waitlist_seq: waitlistSeq,
    enrolled_at: status === 'enrolled' ? now : null,
    dropped_at: status === 'dropped' ? now : null,
    created_at: now,
    updated_at: now,
  });
  if (status === 'enrolled') await db('sections').where({ id: sectionId }).increment('enrolled_count', 1);
  return { id: Number(id) };
}
