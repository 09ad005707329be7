// The rules for the course catalogue: validation, unique codes, optimistic versions, archive/restore,
// each change audited in its own transaction.
import type { Knex } from 'knex';
import type { ActorContext } from '../audit/audit-context';
import type { AuditRepository } from '../audit/audit.repository';
import { isForeignKeyViolation, isUniqueViolation } from '../db/errors';
import { inWriteTransaction } from '../db/write-transaction';
import { ConflictError, NotFoundError, StaleVersionError, ValidationError } from '../lib/errors';
import { parseIdOrNotFound } from '../lib/ids';
import { type Page, pageOf } from '../lib/paging';
import { collectFieldErrors, parseOrThrow } from '../lib/validate';
import { versionSchema } from '../students/students.schemas';
import type { CourseRow, CoursesRepository } from './courses.repository';
import { courseInputSchema, courseListQuerySchema } from './courses.schemas';

export type CoursePage = Page<CourseRow>;

const parseId = (raw: unknown) => parseIdOrNotFound(raw, 'catalogue.courses.not_found');

function constraintToFieldError(err: unknown): never {
  if (isUniqueViolation(err)) throw new ValidationError({ code: 'catalogue.validation.course_code_taken' });
  if (isForeignKeyViolation(err))
    throw new ValidationError({ department_id: 'catalogue.validation.department_unknown' });
  throw err;
}

export class CoursesService {
  constructor(
    private readonly db: Knex,
    private readonly courses: CoursesRepository,
    private readonly audit: AuditRepository,
  ) {}

  async list(rawQuery: unknown): Promise<CoursePage> {
    const query = parseOrThrow(courseListQuerySchema, rawQuery);
    const { rows, total } = await this.courses.list(query);
    return pageOf(rows, total, query);
  }

  async get(rawId: unknown): Promise<CourseRow> {
    const row = await this.courses.findById(parseId(rawId));
    if (!row) throw new NotFoundError('catalogue.courses.not_found');
    return row;
  }

  async getForEdit(rawId: unknown): Promise<CourseRow> {
    const row = await this.get(rawId);
    if (row.deleted_at) throw new ConflictError('catalogue.courses.archived_cannot_edit', 'archived');
    return row;
  }

  options() {
    return this.courses.options();
  }

  departmentOptions() {
    return this.courses.departmentOptions();
  }

  async create(input: unknown, ctx: ActorContext): Promise<CourseRow> {
    const data = parseOrThrow(courseInputSchema, input);
    return inWriteTransaction(this.db, ctx, async (trx) => {
      const id = await this.courses.insert(data, trx).catch(constraintToFieldError);
      const created = (await this.courses.findById(id, trx))!;
      await this.audit.record({ ...ctx, action: 'create', entity: 'course', entityId: id, after: created }, trx);
      return created;
    });
  }

  /** Saves only when `version` is still current; otherwise 409 with the current row, nothing written. */
  async update(rawId: unknown, input: unknown, ctx: ActorContext): Promise<CourseRow> {
    const id = parseId(rawId);
    const body = (input ?? {}) as Record<string, unknown>;
    const fieldErrors: Record<string, string> = {};
    const data = collectFieldErrors(() => parseOrThrow(courseInputSchema, body), fieldErrors);
    const version = collectFieldErrors(() => parseOrThrow(versionSchema, body).version, fieldErrors);
    if (fieldErrors.version) fieldErrors.version = 'validation.version';
    if (data === undefined || version === undefined) throw new ValidationError(fieldErrors);

    return inWriteTransaction(this.db, ctx, async (trx) => {
      const before = await this.courses.findById(id, trx, { lock: true });
      if (!before) throw new NotFoundError('catalogue.courses.not_found');
      if (before.deleted_at) throw new ConflictError('catalogue.courses.archived_cannot_edit', 'archived');
      if (before.version !== version) throw new StaleVersionError({ ...before });
      const changed = await this.courses.updateIfVersion(id, version, data, trx).catch(constraintToFieldError);
      if (changed === 0) throw new StaleVersionError({ ...(await this.courses.findById(id, trx)) });
      const after = (await this.courses.findById(id, trx))!;
      await this.audit.record({ ...ctx, action: 'update', entity: 'course', entityId: id, before, after }, trx);
      return after;
    });
  }

  archive(rawId: unknown, ctx: ActorContext): Promise<{ row: CourseRow; changed: boolean }> {
    return this.setArchived(parseId(rawId), true, ctx);
  }

  restore(rawId: unknown, ctx: ActorContext): Promise<{ row: CourseRow; changed: boolean }> {
    return this.setArchived(parseId(rawId), false, ctx);
  }

  /** Archiving an archived course (or restoring an active one) changes nothing and writes no audit row. */
  private setArchived(id: number, archived: boolean, ctx: ActorContext) {
    return inWriteTransaction(this.db, ctx, async (trx) => {
      const before = await this.courses.findById(id, trx, { lock: true });
      if (!before) throw new NotFoundError('catalogue.courses.not_found');
      const changed = (await this.courses.setArchived(id, archived, trx)) > 0;
      const after = (await this.courses.findById(id, trx))!;
      if (changed) {
        const action = archived ? 'archive' : 'restore';
        await this.audit.record({ ...ctx, action, entity: 'course', entityId: id, before, after }, trx);
      }
      return { row: after, changed };
    });
  }

  history(id: number) {
    return this.audit.forEntity('course', id);
  }

  async department(course: CourseRow) {
    return course.department_id === null ? null : ((await this.courses.department(course.department_id)) ?? null);
  }
}
