// Staff profiles: the shared record rules, plus what the account pages ask of a profile (by id or staff
// number) and the link from a profile to its new account.
import type { Knex } from 'knex';
import type { AuditRepository } from '../audit/audit.repository';
import { RecordsService } from '../records/records.service';
import type { LookupSources } from '../records/records.types';
import { type StaffRow, staffDef } from './staff';
import { StaffRepository } from './staff.repository';

export class StaffService extends RecordsService<StaffRow> {
  private readonly staff: StaffRepository;

  constructor(db: Knex, audit: AuditRepository, sources: LookupSources) {
    const repo = new StaffRepository(db, staffDef);
    super(db, staffDef, audit, { sources, repo });
    this.staff = repo;
  }

  /** A profile by id, archived ones too (no 404: the caller decides what a missing one means). */
  findById(id: number, trx?: Knex, options?: { lock?: boolean }): Promise<StaffRow | undefined> {
    return this.staff.findById(id, trx, options);
  }

  /** A profile by its staff number (工号), archived ones too. */
  findByNumber(staffNo: string, trx?: Knex, options?: { lock?: boolean }): Promise<StaffRow | undefined> {
    return this.staff.findByNumber(staffNo, trx, options);
  }

  /**
   * Links a profile that has no account yet to `userId`, inside the caller's transaction: the rows changed,
   * 0 when another account took it first. The account's own audit row records the link.
   */
  linkAccount(staffId: number, userId: number, trx: Knex): Promise<number> {
    return this.staff.linkAccount(staffId, userId, trx);
  }
}
