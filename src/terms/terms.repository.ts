// Terms' data: the shared record queries, plus the current term (one, guaranteed by a unique key on
// current_marker) and the short references other features show (term lists, the selection window).
import type { Knex } from 'knex';
import { sqlNow } from '../lib/time';
import { RecordsRepository } from '../records/records.repository';
import type { TableShape } from '../records/records.repository';
import type { TermRow } from './terms.def';

/** A term as other features name it: code, names, and its course-selection window. */
export interface TermRef {
  id: number;
  code: string;
  name: string;
  /** For the term's English name (i18n/names.ts). */
  academic_year: string;
  semester: number;
  selection_opens_at: string | null;
  selection_closes_at: string | null;
}

const REF_COLUMNS = [
  'id',
  'code',
  'name',
  'academic_year',
  'semester',
  'selection_opens_at',
  'selection_closes_at',
] as const;

/** One enrolment year's own selection window in a term. */
export interface RoundRow {
  id: number;
  term_id: number;
  enrolment_year: number;
  opens_at: string;
  closes_at: string;
  created_at: string;
  updated_at: string;
}

export class TermsRepository extends RecordsRepository<TermRow> {
  constructor(db: Knex, shape: TableShape) {
    super(db, shape);
  }

  protected override readonly nameColumns = ['academic_year', 'semester'];

  current(trx: Knex = this.db): Promise<TermRef | undefined> {
    return trx<TermRef>('terms')
      .where('current_marker', 1)
      .select(...REF_COLUMNS)
      .first();
  }

  /** A term by id (digits) or by code. */
  findRef(ref: string | number, trx: Knex = this.db): Promise<TermRef | undefined> {
    const q = trx<TermRef>('terms')
      .select(...REF_COLUMNS)
      .first();
    return typeof ref === 'number' || /^\d{1,10}$/.test(ref) ? q.where('id', Number(ref)) : q.where('code', ref);
  }

  /** Every term, newest first (terms are a few a year). */
  all(trx: Knex = this.db): Promise<(TermRef & { current_marker: number | null })[]> {
    return trx('terms')
      .select(...REF_COLUMNS, 'current_marker')
      .orderBy('code', 'desc');
  }

  /** Moves the current marker to `id` inside the caller's transaction; answers the term that had it. */
  async moveCurrent(id: number, trx: Knex.Transaction): Promise<TermRow | undefined> {
    const bump = { version: trx.raw('version + 1'), updated_at: sqlNow() };
    const previous = await trx<TermRow>('terms').where({ current_marker: 1 }).forUpdate().first();
    if (previous)
      await trx('terms')
        .where({ id: previous.id })
        .update({ current_marker: null, ...bump });
    await trx('terms')
      .where({ id })
      .update({ current_marker: 1, ...bump });
    return previous;
  }

  /** A term's rounds, by enrolment year. */
  rounds(termId: number, trx: Knex = this.db): Promise<RoundRow[]> {
    return trx<RoundRow>('term_selection_rounds').where({ term_id: termId }).orderBy('enrolment_year');
  }

  round(termId: number, enrolmentYear: number, trx: Knex = this.db): Promise<RoundRow | undefined> {
    return trx<RoundRow>('term_selection_rounds').where({ term_id: termId, enrolment_year: enrolmentYear }).first();
  }

  roundById(termId: number, id: number, trx: Knex = this.db): Promise<RoundRow | undefined> {
    return trx<RoundRow>('term_selection_rounds').where({ term_id: termId, id }).first();
  }

  async insertRound(
    termId: number,
    round: { enrolment_year: number; opens_at: string; closes_at: string },
    trx: Knex.Transaction,
  ): Promise<number> {
    const now = sqlNow();
    const [id] = await trx('term_selection_rounds').insert({
      term_id: termId,
      ...round,
      created_at: now,
      updated_at: now,
    });
    return Number(id);
  }

  async deleteRound(id: number, trx: Knex.Transaction): Promise<void> {
    await trx('term_selection_rounds').where({ id }).delete();
  }
}
