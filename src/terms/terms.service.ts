// Terms: the shared record rules, plus which term is current (one, guaranteed by a unique key on
// current_marker). Other features ask for the current term, a term by reference and the term list here.
import type { Knex } from 'knex';
import type { ActorContext } from '../audit/audit-context';
import type { AuditRepository } from '../audit/audit.repository';
import { isUniqueViolation } from '../db/errors';
import { inWriteTransaction } from '../db/write-transaction';
import { DEFAULT_TIME_ZONE } from '../i18n/format';
import { NotFoundError, ValidationError } from '../lib/errors';
import type { SelectionWindow } from '../lib/time';
import { parseOrThrow } from '../lib/validate';
import { RecordsService } from '../records/records.service';
import { type TermRow, termsDef } from './terms.def';
import { type RoundRow, type TermRef, TermsRepository } from './terms.repository';
import { ROUND_YEARS_BACK, roundInputSchema } from './terms.schemas';

export type { TermRow } from './terms.def';
export type { RoundRow, TermRef } from './terms.repository';

/** A term as a window is read from: its id and its own window. */
export type TermWindowRef = Pick<TermRef, 'id' | 'selection_opens_at' | 'selection_closes_at'>;

/** A student's window in a term: their year's round when it has one, else the term's own. */
export interface StudentWindow extends SelectionWindow {
  /** The round's enrolment year, or null for the term's own window. */
  round_year: number | null;
}

export class TermsService extends RecordsService<TermRow> {
  private readonly terms: TermsRepository;

  /** `timeZone`: the university's (config TIME_ZONE), whose clock forms show the selection window on. */
  constructor(
    db: Knex,
    audit: AuditRepository,
    readonly timeZone: string = DEFAULT_TIME_ZONE,
  ) {
    const def = termsDef(timeZone);
    const repo = new TermsRepository(db, def);
    super(db, def, audit, { repo });
    this.terms = repo;
  }

  /** The current term, or undefined when none is marked. */
  current(trx?: Knex): Promise<TermRef | undefined> {
    return this.terms.current(trx);
  }

  /** A term by id or code ('2026-2027-1'). */
  find(ref: string | number, trx?: Knex): Promise<TermRef | undefined> {
    return this.terms.findRef(ref, trx);
  }

  /** Every term, newest first, with which one is current. */
  all(trx?: Knex) {
    return this.terms.all(trx);
  }

  /**
   * Makes one term current in one transaction: clear the old marker, set the new. Two such requests at
   * once serialise on the marker's row locks; when one still meets the other's fresh marker on the unique
   * key (or a deadlock), the whole transaction runs again, so exactly one term ends up current.
   */
  makeCurrent(rawId: unknown, ctx: ActorContext): Promise<{ row: TermRow; changed: boolean }> {
    const id = this.parseId(rawId);
    const work = async (trx: Knex.Transaction) => {
      const before = await this.repo.findById(id, trx, { lock: true });
      if (!before) throw new NotFoundError('terms.not_found');
      if (before.current_marker === 1) return { row: before, changed: false };
      const previous = await this.terms.moveCurrent(id, trx);
      const after = (await this.repo.findById(id, trx))!;
      const audited = { ...before, previous_current_id: previous?.id ?? null };
      await this.audit.record(
        { ...ctx, action: 'make_current', entity: 'term', entityId: id, before: audited, after },
        trx,
      );
      return { row: after, changed: true };
    };
    return inWriteTransaction(this.db, ctx, work, { retryOn: isUniqueViolation });
  }

  /** A term's selection rounds (per enrolment year), by year. */
  rounds(termId: number, trx?: Knex): Promise<RoundRow[]> {
    return this.terms.rounds(termId, trx);
  }

  /** The window a student of `enrolmentYear` selects in: their year's round, else the term's own. */
  async windowFor(term: TermWindowRef, enrolmentYear: number | null, trx?: Knex): Promise<StudentWindow> {
    const round = enrolmentYear === null ? undefined : await this.terms.round(term.id, enrolmentYear, trx);
    if (round)
      return {
        selection_opens_at: round.opens_at,
        selection_closes_at: round.closes_at,
        round_year: round.enrolment_year,
      };
    return {
      selection_opens_at: term.selection_opens_at,
      selection_closes_at: term.selection_closes_at,
      round_year: null,
    };
  }

  /** Adds one enrolment year's own window to a term (staff, admin); one per year, opening before it closes. */
  addRound(rawTermId: unknown, input: unknown, ctx: ActorContext): Promise<{ term: TermRow; round: RoundRow }> {
    const termId = this.parseId(rawTermId);
    const data = parseOrThrow(roundInputSchema, input);
    return inWriteTransaction(this.db, ctx, async (trx) => {
      // The term's lock serialises rounds of one term: the duplicate check below then reads current.
      const term = await this.repo.findById(termId, trx, { lock: true });
      if (!term) throw new NotFoundError('terms.not_found');
      const termYear = Number(term.academic_year.slice(0, 4));
      if (data.enrolment_year > termYear || data.enrolment_year < termYear - ROUND_YEARS_BACK)
        throw new ValidationError({ enrolment_year: 'terms.validation.round_year_range' });
      if (await this.terms.round(termId, data.enrolment_year, trx))
        throw new ValidationError({ enrolment_year: 'terms.validation.round_year_taken' });
      const id = await this.terms.insertRound(termId, data, trx).catch((err: unknown) => {
        if (isUniqueViolation(err)) throw new ValidationError({ enrolment_year: 'terms.validation.round_year_taken' });
        throw err;
      });
      const round = (await this.terms.roundById(termId, id, trx))!;
      await this.audit.record(
        { ...ctx, action: 'create', entity: 'term_selection_round', entityId: id, after: round },
        trx,
      );
      return { term, round };
    });
  }

  /** Removes a round: that year selects in the term's own window again. */
  removeRound(rawTermId: unknown, rawRoundId: unknown, ctx: ActorContext): Promise<{ term: TermRow; round: RoundRow }> {
    const termId = this.parseId(rawTermId);
    const roundId = this.parseId(rawRoundId);
    return inWriteTransaction(this.db, ctx, async (trx) => {
      const term = await this.repo.findById(termId, trx, { lock: true });
      if (!term) throw new NotFoundError('terms.not_found');
      const round = await this.terms.roundById(termId, roundId, trx);
      if (!round) throw new NotFoundError('terms.round_not_found');
      await this.terms.deleteRound(roundId, trx);
      await this.audit.record(
        { ...ctx, action: 'delete', entity: 'term_selection_round', entityId: roundId, before: round },
        trx,
      );
      return { term, round };
    });
  }
}
