// The one write path of every versioned record (students, courses, sections, organisation records,
// terms): validation, references checked in the same transaction, unique keys as field errors,
// optimistic versions, archive/restore, and an audit row written in the same transaction as the change.
// A feature supplies a RecordSpec (its store, schema and rules of its own) and keeps nothing else.
import type { Knex } from 'knex';
import type { ActorContext } from '../audit/audit-context';
import type { AuditEntity } from '../audit/audit-actions';
import type { AuditRepository } from '../audit/audit.repository';
import { inWriteTransaction } from '../db/write-transaction';
import { ConflictError, type FieldErrors, NotFoundError, StaleVersionError, ValidationError } from '../lib/errors';
import { parseIdOrNotFound } from '../lib/ids';
import { collectFieldErrors, parseOrThrow } from '../lib/validate';
import { versionSchema } from './record.schemas';

export interface VersionedRow {
  id: number;
  version: number;
  deleted_at?: string | null;
}

/** The repository side of a record: every call takes the transaction, and the acting user for tables that keep one. */
export interface RecordStore<Row extends VersionedRow, Input> {
  findById(id: number, trx: Knex, options?: { lock?: boolean }): Promise<Row | undefined>;
  insert(input: Input, trx: Knex, actorId: number | null): Promise<number>;
  /** Only when the row is still at `version` (and not archived): the rows changed, 0 or 1. */
  updateIfVersion(id: number, version: number, input: Input, trx: Knex, actorId: number | null): Promise<number>;
  /** Archives an active row or restores an archived one: the rows changed, 0 when it already was. */
  setArchived(id: number, archived: boolean, trx: Knex, actorId: number | null): Promise<number>;
}

export interface RecordSpec<Row extends VersionedRow, Input, View = Row> {
  /** The audit log's entity name. */
  entity: AuditEntity;
  messages: { notFound: string; archivedCannotEdit: string };
  store: RecordStore<Row, Input>;
  /** The body as the schema reads it -> the input; throws a ValidationError. */
  parse: (body: Record<string, unknown>) => Input;
  /** A unique or foreign key the checks could not see (a race) -> a field error; anything else rethrown. */
  constraintToFieldError: (err: unknown) => never;
  /** What a write returns and audits (a section: with its meetings); the row itself by default. */
  view?: (id: number, trx: Knex) => Promise<View | undefined>;
  /** The current record as a stale edit's 409 carries it; the view's fields by default. */
  conflictOf?: (view: View) => Record<string, unknown>;
  /** Referenced ids checked in the write's transaction: throw a ValidationError (`before` on an edit). */
  checkReferences?: (data: Input, trx: Knex, before?: Row) => Promise<void>;
  /** The kind's own rules on an edit, under the row's lock, before the write. */
  beforeUpdate?: (row: Row, data: Input, trx: Knex) => Promise<void>;
  /** More to write in the same transaction once the row is saved (a section's meetings). */
  afterSave?: (id: number, data: Input, trx: Knex.Transaction, ctx: ActorContext, before?: Row) => Promise<void>;
  /** The kind's own refusals of an archive (`archived`) or a restore, under the row's lock. */
  beforeArchive?: (row: Row, archived: boolean, trx: Knex) => Promise<void>;
}

/** A service write joins a caller's transaction when given one (a bulk import batches many in one). */
export interface WriteOptions {
  transacting?: Knex.Transaction;
}

export interface Toggled<View> {
  row: View;
  changed: boolean;
}

export class RecordWrites<Row extends VersionedRow, Input, View = Row> {
  constructor(
    protected readonly db: Knex,
    protected readonly audit: AuditRepository,
    readonly spec: RecordSpec<Row, Input, View>,
  ) {}

  parseId(raw: unknown): number {
    return parseIdOrNotFound(raw, this.spec.messages.notFound);
  }

  /** The view of an existing record, or 404. */
  async get(rawId: unknown, trx: Knex = this.db): Promise<View> {
    const view = await this.load(this.parseId(rawId), trx);
    if (view === undefined) throw new NotFoundError(this.spec.messages.notFound);
    return view;
  }

  /** The row as an edit form starts from: archived records must be restored first. */
  async getForEdit(rawId: unknown): Promise<View> {
    const id = this.parseId(rawId);
    const row = await this.spec.store.findById(id, this.db);
    if (!row) throw new NotFoundError(this.spec.messages.notFound);
    if (row.deleted_at) throw new ConflictError(this.spec.messages.archivedCannotEdit, 'archived');
    return this.viewOf(row, this.db);
  }

  history(id: number) {
    return this.audit.forEntity(this.spec.entity, id);
  }

  async create(input: unknown, ctx: ActorContext, options: WriteOptions = {}): Promise<View> {
    const { spec } = this;
    const data = spec.parse((input ?? {}) as Record<string, unknown>);
    return this.write(ctx, options, async (trx) => {
      await spec.checkReferences?.(data, trx);
      const id = await spec.store.insert(data, trx, ctx.actorId).catch(spec.constraintToFieldError);
      await spec.afterSave?.(id, data, trx, ctx);
      const created = (await this.load(id, trx))!;
      await this.audit.record({ ...ctx, action: 'create', entity: spec.entity, entityId: id, after: created }, trx);
      return created;
    });
  }

  /** Saves only when `version` is still current; otherwise 409 with the current record, nothing written. */
  async update(rawId: unknown, input: unknown, ctx: ActorContext, options: WriteOptions = {}): Promise<View> {
    const { spec } = this;
    const id = this.parseId(rawId);
    const body = (input ?? {}) as Record<string, unknown>;
    const fieldErrors: FieldErrors = {};
    const data = collectFieldErrors(() => spec.parse(body), fieldErrors);
    const version = collectFieldErrors(() => parseOrThrow(versionSchema, body).version, fieldErrors);
    // Whatever is wrong with it, a bad version means the form did not come from our edit page.
    if (fieldErrors.version) fieldErrors.version = 'validation.version';
    if (data === undefined || version === undefined) throw new ValidationError(fieldErrors);

    return this.write(ctx, options, async (trx) => {
      // The row lock also holds back what depends on it (a section's enrolments wait on it).
      const row = await spec.store.findById(id, trx, { lock: true });
      if (!row) throw new NotFoundError(spec.messages.notFound);
      if (row.deleted_at) throw new ConflictError(spec.messages.archivedCannotEdit, 'archived');
      const before = await this.viewOf(row, trx);
      if (row.version !== version) throw this.stale(before);
      await spec.checkReferences?.(data, trx, row);
      await spec.beforeUpdate?.(row, data, trx);
      const changed = await spec.store
        .updateIfVersion(id, version, data, trx, ctx.actorId)
        .catch(spec.constraintToFieldError);
      if (changed === 0) throw this.stale((await this.load(id, trx))!);
      await spec.afterSave?.(id, data, trx, ctx, row);
      const after = (await this.load(id, trx))!;
      await this.audit.record({ ...ctx, action: 'update', entity: spec.entity, entityId: id, before, after }, trx);
      return after;
    });
  }

  archive(rawId: unknown, ctx: ActorContext, options: WriteOptions = {}): Promise<Toggled<View>> {
    return this.setArchived(this.parseId(rawId), true, ctx, options);
  }

  restore(rawId: unknown, ctx: ActorContext, options: WriteOptions = {}): Promise<Toggled<View>> {
    return this.setArchived(this.parseId(rawId), false, ctx, options);
  }

  /** Archiving an archived record (or restoring an active one) changes nothing and writes no audit row. */
  private setArchived(id: number, archived: boolean, ctx: ActorContext, options: WriteOptions) {
    const { spec } = this;
    return this.write(ctx, options, async (trx) => {
      const row = await spec.store.findById(id, trx, { lock: true });
      if (!row) throw new NotFoundError(spec.messages.notFound);
      await spec.beforeArchive?.(row, archived, trx);
      const before = await this.viewOf(row, trx);
      const changed = (await spec.store.setArchived(id, archived, trx, ctx.actorId)) > 0;
      const after = (await this.load(id, trx))!;
      if (changed) {
        const action = archived ? 'archive' : 'restore';
        await this.audit.record({ ...ctx, action, entity: spec.entity, entityId: id, before, after }, trx);
      }
      return { row: after, changed };
    });
  }

  /** The view of a row just read: the row itself unless the kind builds a view (no second read of it). */
  private async viewOf(row: Row, trx: Knex): Promise<View> {
    return this.spec.view ? (await this.spec.view(row.id, trx))! : (row as unknown as View);
  }

  private load(id: number, trx: Knex): Promise<View | undefined> {
    const { spec } = this;
    return spec.view ? spec.view(id, trx) : (spec.store.findById(id, trx) as Promise<View | undefined>);
  }

  private stale(view: View): StaleVersionError {
    return new StaleVersionError(this.spec.conflictOf ? this.spec.conflictOf(view) : { ...(view as object) });
  }

  /** The caller's transaction when given (its owner holds the idempotency key), else a write transaction of its own. */
  protected write<T>(ctx: ActorContext, options: WriteOptions, work: (trx: Knex.Transaction) => Promise<T>) {
    return options.transacting ? work(options.transacting) : inWriteTransaction(this.db, ctx, work);
  }
}
