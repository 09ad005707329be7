// The rules for student records: the shared record write path (records/record-writes.ts) with the
// student's schema and keys; and what other features ask of students (by number, members of a class).
import type { Knex } from 'knex';
import type { ActorContext } from '../audit/audit-context';
import type { AuditEntry, AuditRepository } from '../audit/audit.repository';
import { isForeignKeyViolation, isUniqueViolation } from '../db/errors';
import { sqlNow } from '../lib/time';
import { ConflictError, NotFoundError, StaleVersionError, ValidationError } from '../lib/errors';
import { EXPORT_BATCH_SIZE } from '../lib/export';
import { inBatches } from '../lib/keyset';
import { type Page, pageOf } from '../lib/paging';
import { parseOrThrow } from '../lib/validate';
import { RecordWrites, type WriteOptions } from '../records/record-writes';
import type { ClassMember, ContactInput, Placement, StudentRow, StudentsRepository } from './students.repository';
import { listQuerySchema, type StudentInput, studentInputSchema } from './students.schemas';

export type StudentPage = Page<StudentRow>;

/** An edit of a bulk update: the whole record as the schema gives it, at the version it was read at. */
export interface StudentEdit {
  id: number;
  version: number;
  input: StudentInput;
}

/** Maps the constraints a student write can meet to field errors: the unique number and the class. */
function constraintToFieldError(err: unknown): never {
  if (isUniqueViolation(err)) throw new ValidationError({ student_no: 'validation.student_no.taken' });
  if (isForeignKeyViolation(err)) throw new ValidationError({ class_id: 'validation.class_id.unknown' });
  throw err;
}

export class StudentsService extends RecordWrites<StudentRow, StudentInput> {
  constructor(
    db: Knex,
    private readonly students: StudentsRepository,
    audit: AuditRepository,
  ) {
    super(db, audit, {
      entity: 'student',
      messages: { notFound: 'students.not_found', archivedCannotEdit: 'students.archived_cannot_edit' },
      store: students,
      parse: (body) => parseOrThrow(studentInputSchema, body),
      constraintToFieldError,
    });
  }

  /**
   * Many new students at once (an import): what `create` writes for each (the row, its search grams, its
   * 'create' audit entry), in multi-row inserts, joining the caller's transaction. `inputs` are what
   * studentInputSchema gives (the caller has already named each bad row). The rows as stored, in order.
   */
  async createMany(inputs: readonly StudentInput[], ctx: ActorContext, options: WriteOptions = {}) {
    return this.write(ctx, options, async (trx) => {
      const now = sqlNow();
      const made = await this.students
        .insertMany(
          inputs.map((input) => ({
            ...input,
            version: 1,
            created_at: now,
            updated_at: now,
            created_by: ctx.actorId,
            updated_by: ctx.actorId,
            deleted_at: null,
          })),
          trx,
        )
        .catch(constraintToFieldError);
      await this.audit.recordMany(
        made.map((row) => this.entry(ctx, 'create', row.id, undefined, row)),
        trx,
      );
      return made;
    });
  }

  /**
   * Many edits at once (an import): what `update` checks and writes for each (under the row's lock: not
   * archived, still at its version, else nothing is written; the grams of a renamed student; an 'update'
   * audit entry with both images), in batches, joining the caller's transaction. The rows as now stored.
   */
  async updateMany(edits: readonly StudentEdit[], ctx: ActorContext, options: WriteOptions = {}) {
    return this.write(ctx, options, async (trx) => {
      const before = new Map(
        (
          await this.students.findManyByIds(
            edits.map((e) => e.id),
            trx,
            { lock: true },
          )
        ).map((r) => [Number(r.id), r]),
      );
      const planned = edits.map((edit) => {
        const row = before.get(edit.id);
        if (!row) throw new NotFoundError('students.not_found');
        if (row.deleted_at) throw new ConflictError('students.archived_cannot_edit', 'archived');
        if (row.version !== edit.version) throw new StaleVersionError({ ...row });
        return { row, input: edit.input };
      });
      const changed = await this.students.updateManyLocked(planned, trx, ctx.actorId).catch(constraintToFieldError);
      const stale = planned.find((_, i) => changed[i] === 0);
      if (stale) throw new StaleVersionError({ ...(await this.students.findById(stale.row.id, trx))! });
      const after = await this.students.findManyByIds(
        edits.map((e) => e.id),
        trx,
      );
      const byId = new Map(after.map((r) => [Number(r.id), r]));
      await this.audit.recordMany(
        edits.map((e) => this.entry(ctx, 'update', e.id, before.get(e.id), byId.get(e.id))),
        trx,
      );
      return edits.map((e) => byId.get(e.id)!);
    });
  }

  /** Students with these numbers (archived ones too), by upper-cased number; `lock` in the caller's transaction. */
  findManyByNumbers(numbers: readonly string[], trx?: Knex, options?: { lock?: boolean }): Promise<StudentRow[]> {
    return this.students.findManyByNumbers(numbers, trx, options);
  }

  private entry(
    ctx: ActorContext,
    action: 'create' | 'update',
    id: number,
    before: unknown,
    after: unknown,
  ): AuditEntry {
    return { ...ctx, action, entity: 'student', entityId: id, before, after };
  }

  async list(rawQuery: unknown): Promise<StudentPage> {
    const query = parseOrThrow(listQuerySchema, rawQuery);
    const { rows, total, exact, cursors } = await this.students.list(query);
    return { ...pageOf(rows, total, query), exact, cursors };
  }

  /**
   * Every student the list's filters match, in the list's order, `size` at a time (an export). The query
   * is read as the list reads it, at once, so a bad filter is a 422 before anything is sent.
   */
  exportBatches(rawQuery: unknown, size = EXPORT_BATCH_SIZE): AsyncIterable<StudentRow[]> {
    const query = parseOrThrow(listQuerySchema, rawQuery);
    return inBatches(
      (after, limit) => this.students.batchAfter(query, after, limit),
      (row) => this.students.keyOf(query, row),
      size,
    );
  }

  /** The student's class, major and school; null for a student not yet placed in a class. */
  placement(student: StudentRow, trx?: Knex): Promise<Placement | null> {
    return this.students.placement(student, trx);
  }

  /** A student row by id (no 404: the caller decides what a missing one means). */
  findById(id: number, trx?: Knex, options?: { lock?: boolean }): Promise<StudentRow | undefined> {
    return this.students.findById(id, trx, options);
  }

  /** The numbers and names of these students (archived ones too), for the audit log: one query. */
  namesOf(ids: readonly number[]) {
    return this.students.namesOf(ids);
  }

  /** Saves a student's own contact details at `version` inside the caller's transaction: the rows changed, 0 or 1. */
  updateContact(id: number, version: number, contact: ContactInput, trx: Knex, actorId: number | null) {
    return this.students.updateContact(id, version, contact, trx, actorId);
  }

  /** The active students of a class, by student number. */
  membersOfClass(classId: number, options: { limit?: number; trx?: Knex } = {}): Promise<ClassMember[]> {
    return this.students.membersOfClass(classId, options.limit, options.trx);
  }

  /** A student row by student number (学号), archived ones too (no 404: the caller decides). */
  findByNumber(studentNo: string, trx?: Knex, options?: { lock?: boolean }): Promise<StudentRow | undefined> {
    return this.students.findByNumber(studentNo, trx, options);
  }

  /** An active student's id from their student number (学号), or undefined. */
  idByNumber(studentNo: string, trx?: Knex): Promise<number | undefined> {
    return this.students.idByNumber(studentNo, trx);
  }

  countByStatus() {
    return this.students.countByStatus();
  }
}
