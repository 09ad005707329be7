// Staff profiles' data: the shared record queries, plus a profile by its staff number (工号) and the link
// from a profile to the account its holder signs in with.
import type { Knex } from 'knex';
import { sqlNow } from '../lib/time';
import { RecordsRepository } from '../records/records.repository';
import type { StaffRow } from './staff';

export class StaffRepository extends RecordsRepository<StaffRow> {
  /** The profile with this staff number, archived ones too (the number is unique over all of them). */
  findByNumber(staffNo: string, trx: Knex = this.db, options: { lock?: boolean } = {}): Promise<StaffRow | undefined> {
    const q = trx<StaffRow>('staff').where({ staff_no: staffNo }).first();
    return (options.lock ? q.forUpdate() : q) as Promise<StaffRow | undefined>;
  }

  /** Links only a profile that has no account yet; 0 rows means another account took it first. */
  linkAccount(staffId: number, userId: number, trx: Knex = this.db): Promise<number> {
    return trx('staff')
      .where({ id: staffId })
      .whereNull('user_id')
      .update({ user_id: userId, updated_at: sqlNow(), version: trx.raw('version + 1') });
  }
}
