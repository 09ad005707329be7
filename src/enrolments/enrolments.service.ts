import { parseIdOrNotFound } from '../lib/ids';
// Course selection (选课): the rules of enrolling, waiting and dropping. Every change is one transaction
// that locks the student row, then the section row, takes a seat with a guarded update
// (enrolled_count < capacity) and writes its audit row; a full section gives a waiting-list place, and a drop promotes the first waiter.
import type { Knex } from 'knex';
import type { ActorContext } from '../audit/audit-context';
import type { AuditRepository } from '../audit/audit.repository';
import type { CurrentUser } from '../users/users.types';
import { isUniqueViolation } from '../db/errors';
import { inTransaction } from '../db/transaction';
import { inStepwiseWrite, inWriteTransaction } from '../db/write-transaction';
import { AppError, ForbiddenError, NotFoundError, ValidationError } from '../lib/errors';
import { EXPORT_BATCH_SIZE } from '../lib/export';
import { inBatches } from '../lib/keyset';
import { isSelectionOpen, type SelectionWindow } from '../lib/time';
import { parseOrThrow } from '../lib/validate';
import { refusals } from './enrolments.errors';
import type {
  EnrolmentRow,
  EnrolmentsRepository,
  LockedStudent,
  RosterLine,
  SectionForSelection,
  StudentEnrolmentView,
} from './enrolments.repository';
import { enrolBodySchema } from './enrolments.schemas';

export interface EnrolResult {
  outcome: 'enrolled' | 'waitlisted';
  enrolment: EnrolmentRow;
  section: SectionForSelection;
  /** Who was placed (staff messages name them). */
  student: Pick<LockedStudent, 'id' | 'student_no' | 'name'>;
  /** Waiting-list position when waitlisted, else null. */
  position: number | null;
}

export interface DropResult {
  enrolment: EnrolmentRow;
  section: SectionForSelection;
  /** Whose place it was (staff messages name them). */
  student: Pick<LockedStudent, 'id' | 'student_no' | 'name'>;
  /** What the place was before the drop: a seat, or a waiting-list place. */
  previousStatus: 'enrolled' | 'waitlisted';
  /** The waiting student who got the freed seat, if any. */
  promoted: EnrolmentRow | null;
}

export interface ClassReportLine {
  student_id: number;
  student_no: string;
  name: string;
  outcome: 'enrolled' | 'waitlisted' | 'refused';
  position: number | null;
  reason: { code: string; messageKey: string; params: Record<string, string> } | null;
}

export interface ClassReport {
  section: SectionForSelection;
  lines: ClassReportLine[];
  counts: { enrolled: number; waitlisted: number; refused: number };
}

/** A roster line, and whether a grade is recorded for it (a graded place is not dropped). */
export type RosterPlace = RosterLine & { graded: boolean };

export interface Roster {
  /** Seats, by student number. */
  enrolled: RosterPlace[];
  /** Waiting-list places, in promotion order (position 1 first). */
  waiting: RosterPlace[];
}

/** A student's place, and whether a grade is recorded for it (a graded place is not dropped). */
export type StudentPlace = StudentEnrolmentView & { graded: boolean };

type Actor = Pick<CurrentUser, 'role' | 'studentId'>;

const parseId = parseIdOrNotFound;
const nameOf = ({ id, student_no, name }: LockedStudent) => ({ id, student_no, name });

/** What selection asks of other features: named ports, every one required (features.ts wires them). */
export interface EnrolmentPorts {
  students: {
    idByNumber(studentNo: string): Promise<number | undefined>;
    membersOfClass(classId: number): Promise<{ id: number; student_no: string; name: string }[]>;
  };
  classes: { exists(id: number): Promise<boolean> };
  /** A student's selection window in a term: their enrolment year's round, else the term's own (terms' rules). */
  windows: {
    windowFor(
      term: { id: number; selection_opens_at: string | null; selection_closes_at: string | null },
      enrolmentYear: number | null,
      trx?: Knex,
    ): Promise<SelectionWindow>;
  };
  /** Which places have a grade recorded (grades' rules); with a transaction, a current read under its locks. */
  grades: { gradedAmong(enrolmentIds: readonly number[], trx?: Knex): Promise<Set<number>> };
}

export class EnrolmentsService {
  constructor(
    private readonly db: Knex,
    private readonly enrolments: EnrolmentsRepository,
    private readonly audit: AuditRepository,
    private readonly ports: EnrolmentPorts,
  ) {}

  /** Enrols one student: the signed-in student themself, or (staff/admin) the form's `student_id`. */
  async enrol(rawSectionId: unknown, body: unknown, actor: Actor, ctx: ActorContext): Promise<EnrolResult> {
    const sectionId = parseId(rawSectionId, 'enrolments.errors.section_not_found');
    const data = parseOrThrow(enrolBodySchema, body);
    if (actor.role === 'student') {
      // Refused before any look-up of what was sent: an unknown number must answer as a known one does.
      const studentId = this.ownStudentId(actor);
      if ((data.student_id !== null && data.student_id !== studentId) || data.class_id !== null)
        throw new ForbiddenError('enrolments.errors.own_only');
      return inWriteTransaction(this.db, ctx, (trx) =>
        this.enrolIn(trx, sectionId, studentId, false, ctx, data.student_no),
      );
    }
    // Staff type the student number (学号); JSON clients may send the database id instead.
    const named = data.student_id ?? (data.student_no === null ? null : await this.byNumber(data.student_no));
    if (named === null) throw new ValidationError({ student_id: 'enrolments.validation.student_required' });
    return inWriteTransaction(this.db, ctx, (trx) => this.enrolIn(trx, sectionId, named, true, ctx));
  }

  /**
   * Staff/admin: every student of an administrative class, each in a transaction of their own; one not
   * in study (suspended, graduated, withdrawn) is reported refused.
   */
  async enrolClass(rawSectionId: unknown, body: unknown, ctx: ActorContext): Promise<ClassReport> {
    const sectionId = parseId(rawSectionId, 'enrolments.errors.section_not_found');
    const data = parseOrThrow(enrolBodySchema, body);
    if (data.class_id === null || !(await this.ports.classes.exists(data.class_id)))
      throw new ValidationError({ class_id: 'enrolments.validation.class_unknown' });
    const members = await this.ports.students.membersOfClass(data.class_id);
    if (members.length === 0) throw new ValidationError({ class_id: 'enrolments.validation.class_empty' });
    const section = await this.enrolments.sectionForSelection(sectionId);
    if (!section) throw new NotFoundError('enrolments.errors.section_not_found');

    // The idempotency key belongs to the whole action and is claimed before the first student: a twin
    // request then answers "in progress" (or, once done, this report) instead of racing for the same
    // students and storing a report of its own, half "already enrolled".
    return inStepwiseWrite(this.db, ctx, async (each) => {
      const lines: ClassReportLine[] = [];
      for (const member of members) {
        const line = { student_id: member.id, student_no: member.student_no, name: member.name };
        try {
          const result = await inTransaction(this.db, (trx) => this.enrolIn(trx, sectionId, member.id, true, each));
          lines.push({ ...line, outcome: result.outcome, position: result.position, reason: null });
        } catch (err) {
          if (!(err instanceof AppError) || err.status >= 500) throw err;
          const params = err.messageParams;
          lines.push({
            ...line,
            outcome: 'refused',
            position: null,
            reason: { code: err.code, messageKey: err.messageKey, params },
          });
        }
      }
      const count = (outcome: ClassReportLine['outcome']) => lines.filter((l) => l.outcome === outcome).length;
      return {
        section,
        lines,
        counts: { enrolled: count('enrolled'), waitlisted: count('waitlisted'), refused: count('refused') },
      };
    });
  }

  /** Drops a place (a student only their own); a freed seat goes to the first waiting student. */
  async drop(rawSectionId: unknown, rawStudentId: unknown, actor: Actor, ctx: ActorContext): Promise<DropResult> {
    const sectionId = parseId(rawSectionId, 'enrolments.errors.section_not_found');
    const studentId = parseId(rawStudentId, 'enrolments.errors.not_enrolled');
    if (actor.role === 'student' && studentId !== this.ownStudentId(actor))
      throw new ForbiddenError('enrolments.errors.own_only');
    const staff = actor.role !== 'student';

    return inWriteTransaction(this.db, ctx, async (trx) => {
      // Lock order, everywhere: the student, then the section.
      const student = await this.enrolments.lockStudent(studentId, trx);
      if (!student) throw refusals.notEnrolled();
      const section = await this.enrolments.sectionForSelection(sectionId, trx);
      if (!section || !(await this.enrolments.lockSection(sectionId, trx)))
        throw new NotFoundError('enrolments.errors.section_not_found');
      // A locking read: a promotion by someone else's drop may have just turned this place into a seat.
      const before = await this.enrolments.find(sectionId, studentId, trx, true);
      if (!before || before.status === 'dropped') throw refusals.notEnrolled();
      // Grade saves take the section lock too, so a grade is either seen here or saved after the drop fails.
      if (before.status === 'enrolled' && (await this.ports.grades.gradedAmong([before.id], trx)).has(before.id))
        throw refusals.graded(section);
      const override = await this.windowOverride(section, student, staff, trx);

      await this.enrolments.markDropped(before.id, override, trx);
      const after = (await this.enrolments.findById(before.id, trx))!;
      await this.audit.record({ ...ctx, action: 'drop', entity: 'enrolment', entityId: before.id, before, after }, trx);

      let promoted: EnrolmentRow | null = null;
      if (before.status === 'enrolled') {
        await this.enrolments.releaseSeat(sectionId, trx);
        promoted = (await this.fillFreeSeats(sectionId, ctx, trx))[0] ?? null;
      }
      const previousStatus = before.status as 'enrolled' | 'waitlisted';
      return { enrolment: after, section, student: nameOf(student), previousStatus, promoted };
    });
  }

  /** Who holds a seat in the section and who waits, in order (the section page and the printed roster). */
  async roster(sectionId: number): Promise<Roster> {
    const lines = await this.enrolments.roster(sectionId);
    const enrolled = lines.filter((l) => l.status === 'enrolled');
    const graded = await this.ports.grades.gradedAmong(enrolled.map((l) => l.enrolment_id));
    return {
      enrolled: enrolled.map((l) => ({ ...l, graded: graded.has(l.enrolment_id) })),
      waiting: lines.filter((l) => l.status === 'waitlisted').map((l) => ({ ...l, graded: false })),
    };
  }

  /**
   * The roster of a section as the page lists it, `size` lines at a time (an export): the seats by
   * student number, then the waiting list in promotion order with each place's position.
   */
  async *rosterBatches(sectionId: number, size = EXPORT_BATCH_SIZE): AsyncGenerator<RosterLine[]> {
    const keyOf = (line: { sort_key: string | number; enrolment_id: number }) => ({
      value: line.sort_key,
      id: line.enrolment_id,
    });
    const part = (status: RosterLine['status']) =>
      inBatches((after, limit) => this.enrolments.rosterBatch(sectionId, status, after, limit), keyOf, size);
    yield* part('enrolled');
    let position = 0;
    for await (const lines of part('waitlisted')) yield lines.map((line) => ({ ...line, position: ++position }));
  }

  private async byNumber(studentNo: string): Promise<number> {
    const id = await this.ports.students.idByNumber(studentNo);
    if (id === undefined) throw new ValidationError({ student_no: 'enrolments.validation.student_no_unknown' });
    return id;
  }

  /** Enrolled and waiting places of a student (with waiting positions), for the sections page and /me. */
  async forStudent(studentId: number, termId?: number): Promise<StudentPlace[]> {
    const places = await this.enrolments.forStudent(studentId, termId);
    const seats = places.filter((p) => p.status === 'enrolled').map((p) => p.enrolment_id);
    const graded = await this.ports.grades.gradedAmong(seats);
    return places.map((p) => ({ ...p, graded: graded.has(p.enrolment_id) }));
  }

  private ownStudentId(actor: Actor): number {
    if (actor.studentId === null) throw new ForbiddenError('enrolments.errors.no_student_record');
    return actor.studentId;
  }

  /** The student's own window in a term (their year's round, else the term's): the sections page, /me. */
  async selectionWindow(
    studentId: number,
    term: { id: number; selection_opens_at: string | null; selection_closes_at: string | null },
  ) {
    const year = await this.enrolments.enrolmentYearOf(studentId);
    return this.ports.windows.windowFor(term, year ?? null);
  }

  /**
   * Outside the student's own window (their year's round, else the term's) a student is refused; staff go
   * ahead, and the place records the override.
   */
  private async windowOverride(
    section: SectionForSelection,
    student: Pick<LockedStudent, 'enrolment_year'>,
    staff: boolean,
    trx: Knex.Transaction,
  ): Promise<boolean> {
    const window = await this.ports.windows.windowFor(
      {
        id: section.term_id,
        selection_opens_at: section.selection_opens_at,
        selection_closes_at: section.selection_closes_at,
      },
      student.enrolment_year,
      trx,
    );
    if (isSelectionOpen(window)) return false;
    if (!staff) throw refusals.selectionClosed();
    return true;
  }

  /**
   * One student into one section, inside the caller's transaction. The student row is locked first
   * (one selection at a time per student, so the clash and "already enrolled" reads are current), the
   * refusals that need no seat are checked, and only then is the section row locked for the seat.
   * `ownNumber`: the student number a student sent for themself, refused unless it is theirs.
   */
  private async enrolIn(
    trx: Knex.Transaction,
    sectionId: number,
    studentId: number,
    staff: boolean,
    ctx: ActorContext,
    ownNumber: string | null = null,
  ): Promise<EnrolResult> {
    const student = await this.enrolments.lockStudent(studentId, trx);
    if (ownNumber !== null && student?.student_no !== ownNumber) throw new ForbiddenError('enrolments.errors.own_only');
    if (!student || student.deleted_at)
      throw new ValidationError({ student_id: 'enrolments.validation.student_unknown' });
    if (student.status !== 'enrolled') throw refusals.studentNotActive(student.status);
    const section = await this.enrolments.sectionForSelection(sectionId, trx);
    if (!section) throw new NotFoundError('enrolments.errors.section_not_found');
    if (section.status !== 'open') throw refusals.sectionClosed();
    const windowOverride = await this.windowOverride(section, student, staff, trx);
    const existing = await this.enrolments.find(sectionId, studentId, trx);
    if (existing && existing.status !== 'dropped') throw refusals.alreadyEnrolled(existing.status);
    const clash = await this.enrolments.findClash(sectionId, section.term_id, studentId, trx);
    if (clash) throw refusals.clash(clash);

    const locked = await this.enrolments.lockSection(sectionId, trx);
    if (!locked) throw new NotFoundError('enrolments.errors.section_not_found');
    if (locked.status !== 'open') throw refusals.sectionClosed();
    const seated = (await this.enrolments.takeSeat(sectionId, trx)) === 1;
    const place = { sectionId, studentId, windowOverride };
    let position: number | null = null;
    let waitlistSeq: number | null = null;
    if (!seated) {
      const tail = await this.enrolments.waitlistTail(sectionId, trx);
      waitlistSeq = tail.lastSeq + 1;
      position = tail.waiting + 1;
    }
    const status = seated ? 'enrolled' : 'waitlisted';
    const id = await this.enrolments.place(existing, { ...place, status, waitlistSeq }, trx).catch((err: unknown) => {
      // The unique key is the last guard against a twin request (the student lock makes it rare).
      if (isUniqueViolation(err)) throw refusals.alreadyEnrolled('enrolled');
      throw err;
    });
    const after = (await this.enrolments.findById(id, trx))!;
    const action = seated ? 'enrol' : 'waitlist';
    await this.audit.record({ ...ctx, action, entity: 'enrolment', entityId: id, before: existing, after }, trx);
    return { outcome: status, enrolment: after, section, student: nameOf(student), position };
  }

  /**
   * Gives every free seat of a section to its waiting list, in order, inside the caller's transaction
   * (a drop, or staff raising the capacity). A waiting student whose timetable now clashes, or who is no
   * longer in study, keeps their place in the queue and the seat goes to the next one. Returns the
   * promoted places.
   *
   * Each waiting student is locked before their clash is checked, as enrolIn() does, and their seats
   * are read current: a selection of theirs elsewhere either committed first (and is seen) or waits.
   * Lock order: the acting student (a drop's), the section, then the waiting student, who is only known
   * under the section lock (the promotion's update has always taken that student's row too, through
   * the foreign key). The opposite order, the waiting student leaving this very list at that moment
   * (student, then section), is a deadlock InnoDB breaks at once; inTransaction retries the loser and
   * both succeed (tests/services/waitlist-race.test.ts).
   */
  async fillFreeSeats(sectionId: number, ctx: ActorContext, trx: Knex.Transaction): Promise<EnrolmentRow[]> {
    const section = await this.enrolments.sectionForSelection(sectionId, trx);
    if (!section) return [];
    const promoted: EnrolmentRow[] = [];
    // Staff may have lowered the capacity below the count: then there is no seat to give.
    let free = await this.enrolments.freeSeats(sectionId, trx);
    for (const waiting of await this.enrolments.waiting(sectionId, trx)) {
      if (free <= 0) break;
      const student = await this.enrolments.lockStudent(waiting.student_id, trx);
      if (!student || student.deleted_at || student.status !== 'enrolled') continue;
      // A current read: this transaction's snapshot may be older than the student's lock.
      if (await this.enrolments.findClash(sectionId, section.term_id, waiting.student_id, trx, true)) continue;
      if ((await this.enrolments.takeSeat(sectionId, trx)) === 0) break;
      free -= 1;
      await this.enrolments.promote(waiting.id, trx);
      const after = (await this.enrolments.findById(waiting.id, trx))!;
      await this.audit.record(
        { ...ctx, action: 'promote', entity: 'enrolment', entityId: waiting.id, before: waiting, after },
        trx,
      );
      promoted.push(after);
    }
    return promoted;
  }
}
