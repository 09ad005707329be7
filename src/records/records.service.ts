// A record kind described by a RecordDef (organisation records, terms): the shared write path
// (record-writes.ts) with the def's schema, references and unique keys, and the def's list and choices.
import type { Knex } from 'knex';
import type { AuditRepository } from '../audit/audit.repository';
import { isForeignKeyViolation, isUniqueViolation } from '../db/errors';
import { type FieldErrors, ValidationError } from '../lib/errors';
import { type Page, pageOf } from '../lib/paging';
import { parseOrThrow } from '../lib/validate';
import { listQuerySchema } from './record.schemas';
import { RecordWrites } from './record-writes';
import { type BaseRow, RecordsRepository } from './records.repository';
import type { LookupSources, Option, RecordDef } from './records.types';

export type RecordPage<Row> = Page<Row>;

/** The driver's text of a constraint error (knex prefixes it with the SQL; only the text after names the key). */
function constraintMessage(err: unknown): string {
  // Read duck-typed: a native driver's error can come from another realm, failing `instanceof Error`.
  const raw = typeof err === 'object' && err !== null ? (err as { message?: unknown }).message : undefined;
  const full = typeof raw === 'string' ? raw : '';
  return full.slice(full.lastIndexOf(' - ') + 1);
}

/** A unique key or a foreign key the pre-check could not see (a race) becomes a field error. */
function constraintToFieldError<Row extends BaseRow>(def: RecordDef<Row>, err: unknown): never {
  const message = constraintMessage(err);
  if (isUniqueViolation(err)) {
    // SQLite names `table.column`, MySQL the index (`<table>_<column>_unique`).
    const { table } = def;
    const column = Object.keys(def.unique).find(
      (c) => message.includes(`${table}.${c}`) || message.includes(`${c}_unique`),
    );
    if (column) throw new ValidationError({ [column]: def.unique[column]! });
  }
  if (isForeignKeyViolation(err)) {
    const column = Object.keys(def.references).find((c) => message.includes(c));
    throw new ValidationError({ [column ?? '_form']: 'org.validation.reference' });
  }
  throw err;
}

/**
 * Every referenced id must name an existing (active) row: one field error per bad reference. A
 * reference's `where` (staff accounts only) applies to a new value; an edit may keep the one it has.
 */
async function checkReferences<Row extends BaseRow>(
  def: RecordDef<Row>,
  repo: RecordsRepository<Row>,
  data: Record<string, unknown>,
  trx: Knex,
  before?: Row,
): Promise<void> {
  const errors: FieldErrors = {};
  for (const [column, ref] of Object.entries(def.references)) {
    const value = data[column];
    if (typeof value !== 'number') continue;
    const where = before && before[column] === value ? undefined : ref.where;
    if (ref.table === def.table && value === before?.id) errors[column] = 'org.validation.reference';
    else if (!(await repo.referenceExists(ref.table, value, ref.archivable, trx, where))) {
      // A row that exists but is not of the kind `where` asks for gets the reference's own message.
      const exists = where && (await repo.referenceExists(ref.table, value, ref.archivable, trx));
      errors[column] = exists && ref.errorKey ? ref.errorKey : 'org.validation.reference';
    }
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

export class RecordsService<Row extends BaseRow> extends RecordWrites<Row, Record<string, unknown>> {
  readonly repo: RecordsRepository<Row>;
  private readonly listQuery: ReturnType<typeof listQuerySchema>;
  private readonly sources?: LookupSources;

  constructor(
    db: Knex,
    readonly def: RecordDef<Row>,
    audit: AuditRepository,
    options: {
      /** Where select choices come from (other features' records); none for a kind without select fields. */
      sources?: LookupSources;
      /** A kind's repository with queries of its own (terms); the shared one by default. */
      repo?: RecordsRepository<Row>;
    } = {},
  ) {
    const repo = options.repo ?? new RecordsRepository<Row>(db, def);
    super(db, audit, {
      entity: def.entity,
      messages: { notFound: `${def.ns}.not_found`, archivedCannotEdit: 'org.records.archived_cannot_edit' },
      store: repo,
      parse: (body) => parseOrThrow(def.schema, body),
      constraintToFieldError: (err) => constraintToFieldError(def, err),
      checkReferences: (data, trx, before) => checkReferences(def, repo, data, trx, before),
    });
    this.repo = repo;
    this.sources = options.sources;
    this.listQuery = listQuerySchema(def);
  }

  lookups(): Promise<Record<string, Option[]>> {
    if (!this.def.lookups) return Promise.resolve({});
    if (!this.sources) throw new Error(`${this.def.entity}: its select fields need lookup sources`);
    return this.def.lookups(this.sources);
  }

  async list(rawQuery: unknown): Promise<RecordPage<Row>> {
    const query = parseOrThrow(this.listQuery, rawQuery);
    const { rows, total } = await this.repo.list(query);
    return pageOf(rows, total, query);
  }

  /** Active records as select choices ("CODE Name"): other features' forms choose from these. */
  options(): Promise<Option[]> {
    return this.repo.activeOptions();
  }

  /** Active records in code order, at most `limit`. */
  active(limit?: number): Promise<Row[]> {
    return this.repo.activeRows(limit);
  }

  /** Active records whose code or name is one of `values` (an import's references), in a few queries. */
  activeByCodeOrName(values: readonly string[], trx?: Knex): Promise<Row[]> {
    return this.repo.activeByCodeOrName(values, trx);
  }

  /** The names of these records (archived ones too), for the audit log: one query. */
  namesOf(ids: readonly number[]) {
    return this.repo.namesOf(ids);
  }

  /** Whether an active record has this id. */
  async exists(id: number, trx: Knex = this.db): Promise<boolean> {
    const row = await this.repo.findById(id, trx);
    return row !== undefined && !row.deleted_at;
  }
}
