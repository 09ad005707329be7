// Terms: the shared record rules, plus which term is current (one, guaranteed by a unique key on
// current_marker) and whether its course-selection window is open. Other features call
// `current()` and `isSelectionOpen()`.
import type { Knex } from 'knex';
import type { ActorContext } from '../audit/audit-context';
import type { AuditRepository } from '../audit/audit.repository';
import { isUniqueViolation } from '../db/errors';
import { inWriteTransaction } from '../db/write-transaction';
import { NotFoundError } from '../lib/errors';
import { isSelectionOpen, sqlNow } from '../lib/time';
import { RecordsService } from '../organisation/records.service';
import { type TermRow, termsDef } from './terms.def';

export type { TermRow } from './terms.def';

const MAX_ATTEMPTS = 4;

export class TermsService extends RecordsService<TermRow> {
  /** `timeZone`: the university's (config TIME_ZONE), whose clock forms show the selection window on. */
  constructor(db: Knex, audit: AuditRepository, timeZone?: string) {
    super(db, termsDef(timeZone), audit);
  }

  /** The current term, or undefined when none is marked. */
  current(trx: Knex = this.db): Promise<TermRow | undefined> {
    return trx<TermRow>('terms').where({ current_marker: 1 }).first();
  }

  isSelectionOpen(term: Pick<TermRow, 'selection_opens_at' | 'selection_closes_at'>, now = new Date()): boolean {
    return isSelectionOpen(term, now);
  }

  /**
   * Makes one term current in one transaction: clear the old marker, set the new. Two such requests at
   * once serialise on the marker's row locks; when one still meets the other's fresh marker on the unique
   * key (or a deadlock), the whole transaction runs again, so exactly one term ends up current.
   */
  async makeCurrent(rawId: unknown, ctx: ActorContext): Promise<{ row: TermRow; changed: boolean }> {
    const id = this.parseId(rawId);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.makeCurrentOnce(id, ctx);
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !isUniqueViolation(err)) throw err;
        await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 10));
      }
    }
  }

  private makeCurrentOnce(id: number, ctx: ActorContext) {
    return inWriteTransaction(this.db, ctx, async (trx) => {
      const before = await this.repo.findById(id, trx, { lock: true });
      if (!before) throw new NotFoundError('terms.not_found');
      if (before.current_marker === 1) return { row: before, changed: false };
      const now = sqlNow();
      const bump = { version: trx.raw('version + 1'), updated_at: now };
      const previous = await trx<TermRow>('terms').where({ current_marker: 1 }).forUpdate().first();
      if (previous)
        await trx('terms')
          .where({ id: previous.id })
          .update({ current_marker: null, ...bump });
      await trx('terms')
        .where({ id })
        .update({ current_marker: 1, ...bump });
      const after = (await this.repo.findById(id, trx))!;
      await this.audit.record(
        {
          ...ctx,
          action: 'make_current',
          entity: 'term',
          entityId: id,
          before: { ...before, previous_current_id: previous?.id ?? null },
          after,
        },
        trx,
      );
      return { row: after, changed: true };
    });
  }
}
