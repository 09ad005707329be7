import { parseIdOrNotFound } from '../lib/ids';
import { type Page, pageOf } from '../lib/paging';
import { sortFields } from '../lib/sorting';
import { collectFieldErrors } from '../lib/validate';
// The rules shared by organisation records and terms: validation, references checked in the same
// transaction, unique keys as field errors, optimistic versions, archive/restore, and an audit row
// written in the same transaction as every change.
import type { Knex } from 'knex';
import { z } from 'zod';
import type { ActorContext } from '../audit/audit-context';
import type { AuditRepository } from '../audit/audit.repository';
import { isForeignKeyViolation, isUniqueViolation } from '../db/errors';
import { inWriteTransaction } from '../db/write-transaction';
import { ConflictError, type FieldErrors, NotFoundError, StaleVersionError, ValidationError } from '../lib/errors';
import { queryInt } from '../lib/schema-helpers';
import { parseOrThrow } from '../lib/validate';
import { versionSchema } from '../students/students.schemas';
import { type BaseRow, RecordsRepository, type TableShape } from './records.repository';
import type { Option, RecordDef } from './records.types';

/** A kind's list query: search, archived, its own sortable columns (unknown ones fall back), paging. */
export function listQuerySchema(shape: Pick<TableShape, 'orderBy' | 'sortable'>) {
  return z.object({
    q: z.preprocess(
      (v) => (typeof v === 'string' ? v.trim() : ''),
      z.string().max(100, { error: 'validation.too_long' }),
    ),
    archived: z.preprocess((v) => v === '1' || v === 'true', z.boolean()),
    ...sortFields({ columns: shape.sortable, fallback: shape.orderBy }),
    page: queryInt(1, 1, 1_000_000),
    size: queryInt(20, 1, 100),
  });
}

export type RecordPage<Row> = Page<Row>;

export class RecordsService<Row extends BaseRow> {
  readonly repo: RecordsRepository<Row>;

  constructor(
    protected readonly db: Knex,
    readonly def: RecordDef<Row>,
    protected readonly audit: AuditRepository,
  ) {
    this.repo = new RecordsRepository<Row>(db, def);
    this.listQuery = listQuerySchema(def);
  }

  private readonly listQuery: ReturnType<typeof listQuerySchema>;

  protected parseId(raw: unknown): number {
    return parseIdOrNotFound(raw, `${this.def.ns}.not_found`);
  }

  /** A unique key or a foreign key the pre-check could not see (a race) becomes a field error. */
  protected constraintToFieldError = (err: unknown): never => {
    // knex prefixes the driver's text with the SQL; only the text after it names the key.
    // (Read duck-typed: a native driver's error can come from another realm, failing `instanceof Error`.)
    const raw = typeof err === 'object' && err !== null ? (err as { message?: unknown }).message : undefined;
    const full = typeof raw === 'string' ? raw : '';
    const message = full.slice(full.lastIndexOf(' - ') + 1);
    if (isUniqueViolation(err)) {
      // SQLite names `table.column`, MySQL the index (`<table>_<column>_unique`).
      const { table } = this.def;
      const column = Object.keys(this.def.unique).find(
        (c) => message.includes(`${table}.${c}`) || message.includes(`${c}_unique`),
      );
      if (column) throw new ValidationError({ [column]: this.def.unique[column]! });
    }
    if (isForeignKeyViolation(err)) {
      const column = Object.keys(this.def.references).find((c) => message.includes(c));
      throw new ValidationError({ [column ?? '_form']: 'org.validation.reference' });
    }
    throw err;
  };

  lookups(): Promise<Record<string, Option[]>> {
    return this.def.lookups ? this.def.lookups(this.db) : Promise.resolve({});
  }

  async list(rawQuery: unknown): Promise<RecordPage<Row>> {
    const query = parseOrThrow(this.listQuery, rawQuery);
    const { rows, total } = await this.repo.list(query);
    return pageOf(rows, total, query);
  }

  async get(rawId: unknown): Promise<Row> {
    const row = await this.repo.findById(this.parseId(rawId));
    if (!row) throw new NotFoundError(`${this.def.ns}.not_found`);
    return row;
  }

  /** The record as an edit form starts from: archived records must be restored first. */
  async getForEdit(rawId: unknown): Promise<Row> {
    const row = await this.get(rawId);
    if (row.deleted_at) throw new ConflictError('org.records.archived_cannot_edit', 'archived');
    return row;
  }

  async create(input: unknown, ctx: ActorContext): Promise<Row> {
    const data = parseOrThrow(this.def.schema, input);
    return inWriteTransaction(this.db, ctx, async (trx) => {
      await this.checkReferences(data, trx);
      const id = await this.repo.insert(data, trx).catch(this.constraintToFieldError);
      const created = (await this.repo.findById(id, trx))!;
      await this.audit.record({ ...ctx, action: 'create', entity: this.def.entity, entityId: id, after: created }, trx);
      return created;
    });
  }

  /** Saves only when `version` is still current; otherwise 409 with the current row, nothing written. */
  async update(rawId: unknown, input: unknown, ctx: ActorContext): Promise<Row> {
    const id = this.parseId(rawId);
    const body = (input ?? {}) as Record<string, unknown>;
    const fieldErrors: FieldErrors = {};
    const data = collectFieldErrors(() => parseOrThrow(this.def.schema, body), fieldErrors);
    const version = collectFieldErrors(() => parseOrThrow(versionSchema, body).version, fieldErrors);
    if (fieldErrors.version) fieldErrors.version = 'validation.version';
    if (data === undefined || version === undefined) throw new ValidationError(fieldErrors);

    return inWriteTransaction(this.db, ctx, async (trx) => {
      const before = await this.repo.findById(id, trx, { lock: true });
      if (!before) throw new NotFoundError(`${this.def.ns}.not_found`);
      if (before.deleted_at) throw new ConflictError('org.records.archived_cannot_edit', 'archived');
      if (before.version !== version) throw new StaleVersionError({ ...before });
      await this.checkReferences(data, trx, before);
      const changed = await this.repo.updateIfVersion(id, version, data, trx).catch(this.constraintToFieldError);
      if (changed === 0) throw new StaleVersionError({ ...(await this.repo.findById(id, trx)) });
      const after = (await this.repo.findById(id, trx))!;
      await this.audit.record({ ...ctx, action: 'update', entity: this.def.entity, entityId: id, before, after }, trx);
      return after;
    });
  }

  archive(rawId: unknown, ctx: ActorContext): Promise<{ row: Row; changed: boolean }> {
    return this.setArchived(this.parseId(rawId), true, ctx);
  }

  restore(rawId: unknown, ctx: ActorContext): Promise<{ row: Row; changed: boolean }> {
    return this.setArchived(this.parseId(rawId), false, ctx);
  }

  history(id: number) {
    return this.audit.forEntity(this.def.entity, id);
  }

  /** Archiving an archived record (or restoring an active one) changes nothing and writes no audit row. */
  private setArchived(id: number, archived: boolean, ctx: ActorContext) {
    return inWriteTransaction(this.db, ctx, async (trx) => {
      const before = await this.repo.findById(id, trx, { lock: true });
      if (!before) throw new NotFoundError(`${this.def.ns}.not_found`);
      const changed = (await this.repo.setArchived(id, archived, trx)) > 0;
      const after = (await this.repo.findById(id, trx))!;
      if (changed) {
        const action = archived ? 'archive' : 'restore';
        await this.audit.record({ ...ctx, action, entity: this.def.entity, entityId: id, before, after }, trx);
      }
      return { row: after, changed };
    });
  }

  /**
   * Every referenced id must name an existing (active) row: one field error per bad reference. A
   * reference's `where` (staff accounts only) applies to a new value; an edit may keep the one it has.
   */
  private async checkReferences(data: Record<string, unknown>, trx: Knex, before?: Row): Promise<void> {
    const errors: FieldErrors = {};
    for (const [column, ref] of Object.entries(this.def.references)) {
      const value = data[column];
      if (typeof value !== 'number') continue;
      const where = before && before[column] === value ? undefined : ref.where;
      if (ref.table === this.def.table && value === before?.id) errors[column] = 'org.validation.reference';
      else if (!(await this.repo.referenceExists(ref.table, value, ref.archivable, trx, where))) {
        // A row that exists but is not of the kind `where` asks for gets the reference's own message.
        const exists = where && (await this.repo.referenceExists(ref.table, value, ref.archivable, trx));
        errors[column] = exists && ref.errorKey ? ref.errorKey : 'org.validation.reference';
      }
    }
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  }
}
