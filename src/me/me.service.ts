// A student's own record: always the one linked to the signed-in account, never an id from the request.
import type { Knex } from 'knex';
import { type SelectionState, type SelectionWindow, selectionState } from '../lib/time';
import type { TermRef } from '../terms/terms.repository';
import type { ActorContext } from '../audit/audit-context';
import type { AuditEntry, AuditRepository } from '../audit/audit.repository';
import type { CurrentUser } from '../users/users.types';
import { inWriteTransaction } from '../db/write-transaction';
import { computeGpa, type GpaSummary, isGraded } from '../gpa/gpa';
import { gradePoints } from '../gpa/grade-points';
import { ForbiddenError, NotFoundError, StaleVersionError } from '../lib/errors';
import { parseOrThrow } from '../lib/validate';
import type { Placement, StudentRow } from '../students/students.repository';
import type { StudentsService } from '../students/students.service';
import type { CourseRecord, MeetingRow, MeRepository } from './me.repository';
import { profileSchema } from './me.schemas';

export interface CourseLine extends CourseRecord {
  grade_points: number | null;
}

export interface TermRecord {
  id: number;
  code: string;
  name: string;
  academic_year: string;
  semester: number;
  is_current: boolean;
  courses: CourseLine[];
  summary: GpaSummary;
}

export interface TimetableEntry {
  course: CourseRecord;
  meetings: MeetingRow[];
}

export interface MyRecord {
  student: StudentRow;
  placement: Placement | null;
  terms: TermRecord[];
  overall: GpaSummary;
  current: { code: string; name: string; academic_year: string; semester: number } | null;
  timetable: TimetableEntry[];
  /** The current term's course selection as it stands for this student: their year's round, else the term's. */
  selection: {
    term: { code: string; name: string; academic_year: string; semester: number };
    state: SelectionState;
    opens_at: string | null;
    closes_at: string | null;
  } | null;
}

/** What a transcript shows: the student, where they study (class, major, school), graded terms. */
export interface Transcript {
  student: StudentRow;
  placement: Placement | null;
  terms: TermRecord[];
  overall: GpaSummary;
}

function line(course: CourseRecord): CourseLine {
  const points = course.grading === 'score' && course.score !== null ? gradePoints(course.score) : null;
  return { ...course, grade_points: points };
}

/** Courses grouped by term in the order they come (oldest first), each term with its GPA. */
function byTerm(courses: CourseRecord[]): TermRecord[] {
  const terms = new Map<number, TermRecord>();
  for (const course of courses) {
    let term = terms.get(course.term_id);
    if (!term) {
      const empty = { gpa: null, gpaCredits: 0, earnedCredits: 0 };
      term = {
        id: course.term_id,
        code: course.term_code,
        name: course.term_name,
        academic_year: course.term_academic_year,
        semester: course.term_semester,
        is_current: course.is_current,
        courses: [],
        summary: empty,
      };
      terms.set(course.term_id, term);
    }
    term.courses.push(line(course));
  }
  for (const term of terms.values()) term.summary = computeGpa(term.courses);
  return [...terms.values()];
}

export class MeService {
  constructor(
    private readonly db: Knex,
    private readonly students: StudentsService,
    private readonly me: MeRepository,
    private readonly audit: AuditRepository,
    private readonly terms: {
      current(): Promise<TermRef | undefined>;
      windowFor(term: TermRef, enrolmentYear: number | null): Promise<SelectionWindow>;
    },
  ) {}

  private async currentTermId(): Promise<number | null> {
    return (await this.terms.current())?.id ?? null;
  }

  /** The student record of the signed-in account; 404 when none is linked or it was archived. */
  async own(user: CurrentUser, trx: Knex = this.db, options: { lock?: boolean } = {}): Promise<StudentRow> {
    if (user.role !== 'student') throw new ForbiddenError();
    if (user.studentId === null) throw new NotFoundError('me.no_record');
    const student = await this.students.findById(user.studentId, trx, options);
    if (!student || student.deleted_at) throw new NotFoundError('me.no_record');
    return student;
  }

  async record(user: CurrentUser): Promise<MyRecord> {
    const student = await this.own(user);
    const courses = await this.me.courses(student.id, await this.currentTermId());
    const currentCourses = courses.filter((c) => c.is_current);
    const meetings = await this.me.meetings(currentCourses.map((c) => c.section_id));
    const timetable = currentCourses.map((course) => ({
      course,
      meetings: meetings.filter((m) => m.section_id === course.section_id),
    }));
    const first = (e: TimetableEntry) =>
      e.meetings[0] ? e.meetings[0].day_of_week * 100 + e.meetings[0].start_period : 10_000;
    timetable.sort((a, b) => first(a) - first(b));
    const now = currentCourses[0];
    const current = now
      ? { code: now.term_code, name: now.term_name, academic_year: now.term_academic_year, semester: now.term_semester }
      : null;
    const placement = await this.students.placement(student);
    const term = await this.terms.current();
    const window = term ? await this.terms.windowFor(term, Number(student.enrolment_year)) : undefined;
    const selection =
      term && window
        ? {
            term: { code: term.code, name: term.name, academic_year: term.academic_year, semester: term.semester },
            state: selectionState(window),
            opens_at: window.selection_opens_at,
            closes_at: window.selection_closes_at,
          }
        : null;
    return { student, placement, terms: byTerm(courses), overall: computeGpa(courses), current, timetable, selection };
  }

  /** Only courses with a published grade appear on a transcript. */
  async transcript(user: CurrentUser): Promise<Transcript> {
    const student = await this.own(user);
    const graded = (await this.me.courses(student.id, await this.currentTermId())).filter(
      (c) => c.published && isGraded(c),
    );
    const placement = await this.students.placement(student);
    return { student, placement, terms: byTerm(graded), overall: computeGpa(graded) };
  }

  /** Changes phone, email and address only, at the student's current version; audited. */
  async updateProfile(user: CurrentUser, input: unknown, ctx: ActorContext): Promise<StudentRow> {
    const { version, ...contact } = parseOrThrow(profileSchema, input);
    return inWriteTransaction(this.db, ctx, async (trx) => {
      const before = await this.own(user, trx, { lock: true });
      if (before.version !== version) throw new StaleVersionError({ ...before });
      const changed = await this.students.updateContact(before.id, version, contact, trx, ctx.actorId);
      if (changed === 0) throw new StaleVersionError({ ...(await this.students.findById(before.id, trx)) });
      const after = (await this.students.findById(before.id, trx))!;
      const audit: AuditEntry = {
        ...ctx,
        action: 'update_profile',
        entity: 'student',
        entityId: before.id,
        before,
        after,
      };
      await this.audit.record(audit, trx);
      return after;
    });
  }
}
