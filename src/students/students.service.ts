// The rules for student records: validation, optimistic versions, archive/restore, and an audit row
// written in the same transaction as every change.
import type { Knex } from 'knex';
import type { ActorContext } from '../audit/audit-context';
import type { AuditRepository } from '../audit/audit.repository';
import { isForeignKeyViolation, isUniqueViolation } from '../db/errors';
import { inWriteTransaction } from '../db/write-transaction';
import { ConflictError, NotFoundError, StaleVersionError, ValidationError } from '../lib/errors';
import { parseIdOrNotFound } from '../lib/ids';
import { type Page, pageOf } from '../lib/paging';
import { collectFieldErrors, parseOrThrow } from '../lib/validate';
import type { Placement, StudentRow, StudentsRepository } from './students.repository';
import { listQuerySchema, studentInputSchema, versionSchema } from './students.schemas';

export type StudentPage = Page<StudentRow>;

const parseId = (raw: unknown) => parseIdOrNotFound(raw, 'students.not_found');

/** Maps the constraints a student write can meet to field errors: the unique number and the class. */
function constraintToFieldError(err: unknown): never {
  if (isUniqueViolation(err)) throw new ValidationError({ student_no: 'validation.student_no.taken' });
  if (isForeignKeyViolation(err)) throw new ValidationError({ class_id: 'validation.class_id.unknown' });
  throw err;
}

export class StudentsService {
  constructor(
    private readonly db: Knex,
    private readonly students: StudentsRepository,
    private readonly audit: AuditRepository,
  ) {}

  async list(rawQuery: unknown): Promise<StudentPage> {
    const query = parseOrThrow(listQuerySchema, rawQuery);
    const { rows, total, exact } = await this.students.list(query);
    return { ...pageOf(rows, total, query), exact };
  }

  async get(rawId: unknown): Promise<StudentRow> {
    const row = await this.students.findById(parseId(rawId));
    if (!row) throw new NotFoundError('students.not_found');
    return row;
  }

  /** The student's class, major and school; null for a student not yet placed in a class. */
  async placement(student: StudentRow): Promise<Placement | null> {
    return this.students.placement(student);
  }

  /** The record as an edit form starts from: archived records must be restored first. */
  async getForEdit(rawId: unknown): Promise<StudentRow> {
    const row = await this.get(rawId);
    if (row.deleted_at) throw new ConflictError('students.archived_cannot_edit', 'archived');
    return row;
  }

  async create(input: unknown, ctx: ActorContext): Promise<StudentRow> {
    const data = parseOrThrow(studentInputSchema, input);
    return inWriteTransaction(this.db, ctx, async (trx) => {
      const id = await this.students.insert(data, ctx.actorId, trx).catch(constraintToFieldError);
      const created = (await this.students.findById(id, trx))!;
      await this.audit.record({ ...ctx, action: 'create', entity: 'student', entityId: id, after: created }, trx);
      return created;
    });
  }

  /** Saves only when `version` is still current; otherwise 409 with the current row, nothing written. */
  async update(rawId: unknown, input: unknown, ctx: ActorContext): Promise<StudentRow> {
    const id = parseId(rawId);
    const body = (input ?? {}) as Record<string, unknown>;
    const fieldErrors: Record<string, string> = {};
    const data = collectFieldErrors(() => parseOrThrow(studentInputSchema, body), fieldErrors);
    const version = collectFieldErrors(() => parseOrThrow(versionSchema, body).version, fieldErrors);
    // Whatever is wrong with it, a bad version means the form did not come from our edit page.
    if (fieldErrors.version) fieldErrors.version = 'validation.version';
    if (data === undefined || version === undefined) throw new ValidationError(fieldErrors);

    return inWriteTransaction(this.db, ctx, async (trx) => {
      const before = await this.students.findById(id, trx, { lock: true });
      if (!before) throw new NotFoundError('students.not_found');
      if (before.deleted_at) throw new ConflictError('students.archived_cannot_edit', 'archived');
      if (before.version !== version) throw new StaleVersionError({ ...before });
      const changed = await this.students
        .updateIfVersion(id, version, data, ctx.actorId, trx)
        .catch(constraintToFieldError);
      if (changed === 0) throw new StaleVersionError({ ...(await this.students.findById(id, trx)) });
      const after = (await this.students.findById(id, trx))!;
      await this.audit.record({ ...ctx, action: 'update', entity: 'student', entityId: id, before, after }, trx);
      return after;
    });
  }

  archive(rawId: unknown, ctx: ActorContext): Promise<{ row: StudentRow; changed: boolean }> {
    return this.setArchived(parseId(rawId), true, ctx);
  }

  restore(rawId: unknown, ctx: ActorContext): Promise<{ row: StudentRow; changed: boolean }> {
    return this.setArchived(parseId(rawId), false, ctx);
  }

  /** Archiving an archived record (or restoring an active one) changes nothing and writes no audit row. */
  private setArchived(id: number, archived: boolean, ctx: ActorContext) {
    return inWriteTransaction(this.db, ctx, async (trx) => {
      const before = await this.students.findById(id, trx, { lock: true });
      if (!before) throw new NotFoundError('students.not_found');
      const changed = (await this.students.setArchived(id, archived, ctx.actorId, trx)) > 0;
      const after = (await this.students.findById(id, trx))!;
      if (changed) {
        const action = archived ? 'archive' : 'restore';
        await this.audit.record({ ...ctx, action, entity: 'student', entityId: id, before, after }, trx);
      }
      return { row: after, changed };
    });
  }

  history(id: number) {
    return this.audit.forEntity('student', id);
  }

  countByStatus() {
    return this.students.countByStatus();
  }
}
