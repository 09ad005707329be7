// Data access of the record kinds described by a RecordDef (departments, majors, classes, staff, terms):
// one table each, searched, paged, versioned, and (when the table has deleted_at) archived.
import type { Knex } from 'knex';
import * as rows from './versioned-rows';
import { orderBySort, type SortDir } from '../lib/sorting';
import { likeEscape } from '../db/like';
import type { RecordName } from '../audit/audit-presenter';
import type { Option } from './records.types';

export interface BaseRow {
  id: number;
  version: number;
  created_at: string;
  updated_at: string;
  deleted_at?: string | null;
  [column: string]: unknown;
}

export interface ListOptions {
  q: string;
  archived: boolean;
  sort: string;
  dir: SortDir;
  page: number;
  size: number;
}

export interface TableShape {
  table: string;
  archivable: boolean;
  /** Columns a search matches from their start (codes: an index range, not a scan). */
  prefixColumns: readonly string[];
  /** Columns a search matches anywhere (names). */
  containsColumns: readonly string[];
  /** Whether the table keeps an official English name (`name_en`) beside the Chinese one. */
  englishName?: boolean;
  /** The list's default order. */
  orderBy: string;
  /** Columns of the table the list may be sorted by (the query picks one of these names, nothing else). */
  sortable: readonly [string, ...string[]];
}

export class RecordsRepository<Row extends BaseRow> {
  constructor(
    protected readonly db: Knex,
    protected readonly shape: TableShape,
  ) {
    this.sortColumns = Object.fromEntries(shape.sortable.map((column) => [column, column]));
  }

  private readonly sortColumns: Record<string, string>;

  private filtered(options: ListOptions, trx: Knex) {
    const { table, archivable, prefixColumns, containsColumns } = this.shape;
    const builder = trx<Row>(table);
    if (archivable) {
      if (options.archived) builder.whereNotNull('deleted_at');
      else builder.whereNull('deleted_at');
    }
    if (options.q) {
      const q = likeEscape(options.q);
      builder.where((w) => {
        for (const column of prefixColumns) w.orWhereRaw(`?? like ? escape '!'`, [column, `${q}%`]);
        for (const column of containsColumns) w.orWhereRaw(`?? like ? escape '!'`, [column, `%${q}%`]);
      });
    }
    return builder;
  }

  async list(options: ListOptions, trx: Knex = this.db): Promise<{ rows: Row[]; total: number }> {
    const countRow = await this.filtered(options, trx).count<{ n: number | string }[]>({ n: '*' }).first();
    const rows = (await this.filtered(options, trx)
      .select('*')
      .modify((q) => orderBySort(q, options, this.sortColumns, 'id'))
      .limit(options.size)
      .offset((options.page - 1) * options.size)) as Row[];
    return { rows, total: Number(countRow?.n ?? 0) };
  }

  async findById(id: number, trx: Knex = this.db, options: { lock?: boolean } = {}): Promise<Row | undefined> {
    const q = trx(this.shape.table).where({ id }).first();
    return (await (options.lock ? q.forUpdate() : q)) as Row | undefined;
  }

  insert(input: Record<string, unknown>, trx: Knex = this.db): Promise<number> {
    return rows.insertVersioned(trx, this.shape.table, input);
  }

  /** Optimistic update: only when the row is still at `version`. Returns the rows changed (0 or 1). */
  updateIfVersion(id: number, version: number, input: Record<string, unknown>, trx: Knex = this.db): Promise<number> {
    return rows.updateIfVersion(trx, this.shape.table, id, version, input, { archivable: this.shape.archivable });
  }

  setArchived(id: number, archived: boolean, trx: Knex = this.db): Promise<number> {
    return rows.setArchived(trx, this.shape.table, id, archived);
  }

  /** Active rows as select choices, "CODE Name" (and "CODE English name" where one is kept). */
  async activeOptions(trx: Knex = this.db): Promise<Option[]> {
    const code = this.shape.prefixColumns[0] ?? 'id';
    const rows = await trx(this.shape.table)
      .whereNull('deleted_at')
      .orderBy(code)
      .limit(2000)
      .select<{ id: number; code: string; name: string; name_en?: string | null }[]>(
        'id',
        { code },
        'name',
        ...(this.shape.englishName ? ['name_en'] : []),
      );
    return rows.map((r) => ({
      value: r.id,
      label: `${r.code} ${r.name}`,
      ...(r.name_en ? { label_en: `${r.code} ${r.name_en}` } : {}),
    }));
  }

  /** Active rows in code order, at most `limit` (a template's list of accepted values). */
  async activeRows(limit = 2000, trx: Knex = this.db): Promise<Row[]> {
    const code = this.shape.prefixColumns[0] ?? 'id';
    return (await trx(this.shape.table)
      .modify((q) => (this.shape.archivable ? q.whereNull('deleted_at') : q))
      .orderBy(code)
      .limit(limit)
      .select('*')) as Row[];
  }

  /**
   * Active rows whose code (the first prefix column) or name is one of `values`, in queries of `batch`
   * values: what a bulk import resolves its references by, never one query per row.
   */
  async activeByCodeOrName(values: readonly string[], trx: Knex = this.db, batch = 500): Promise<Row[]> {
    const code = this.shape.prefixColumns[0] ?? 'id';
    const found = new Map<number, Row>();
    for (let i = 0; i < values.length; i += batch) {
      const chunk = values.slice(i, i + batch);
      const rows = (await trx(this.shape.table)
        .where((w) => w.whereIn(code, chunk).orWhereIn('name', chunk))
        .modify((q) => (this.shape.archivable ? q.whereNull('deleted_at') : q))
        .select('*')) as Row[];
      for (const row of rows) found.set(Number(row.id), row);
    }
    return [...found.values()];
  }

  /** The code and name of each of these rows, archived ones too (the audit log names them), in one query. */
  async namesOf(ids: readonly number[], trx: Knex = this.db): Promise<Map<number, RecordName>> {
    if (ids.length === 0) return new Map();
    const code = this.shape.prefixColumns[0] ?? 'id';
    const rows = await trx(this.shape.table)
      .whereIn('id', ids)
      .select<{ id: number; code: string; name: string; name_en?: string | null }[]>(
        'id',
        { code },
        'name',
        ...(this.shape.englishName ? ['name_en'] : []),
        ...this.nameColumns,
      );
    return new Map(rows.map((r) => [Number(r.id), { ...r, code: String(r.code), name_en: r.name_en ?? null }]));
  }

  /** More columns a record's name is built from (a term's year and semester). */
  protected readonly nameColumns: readonly string[] = [];

  /** Whether another table holds a usable row with this id (active, when that table archives; matching `where`). */
  async referenceExists(
    table: string,
    id: number,
    archivable: boolean,
    trx: Knex = this.db,
    where: Readonly<Record<string, string | number | boolean>> = {},
  ): Promise<boolean> {
    const row = await trx(table)
      .where({ ...where, id })
      .modify((q) => (archivable ? q.whereNull('deleted_at') : q))
      .first('id');
    return row !== undefined;
  }
}
