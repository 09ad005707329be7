// Terms: the shared record rules, plus which term is current (one, guaranteed by a unique key on
// current_marker). Other features ask for the current term, a term by reference and the term list here.
import type { Knex } from 'knex';
import type { ActorContext } from '../audit/audit-context';
import type { AuditRepository } from '../audit/audit.repository';
import { isUniqueViolation } from '../db/errors';
import { inWriteTransaction } from '../db/write-transaction';
import { NotFoundError } from '../lib/errors';
import { RecordsService } from '../records/records.service';
import { type TermRow, termsDef } from './terms.def';
import { type TermRef, TermsRepository } from './terms.repository';

export type { TermRow } from './terms.def';
export type { TermRef } from './terms.repository';

export class TermsService extends RecordsService<TermRow> {
  private readonly terms: TermsRepository;

  /** `timeZone`: the university's (config TIME_ZONE), whose clock forms show the selection window on. */
  constructor(db: Knex, audit: AuditRepository, timeZone?: string) {
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
}
