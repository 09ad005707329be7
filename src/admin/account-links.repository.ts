// The records an account can be linked to: a staff profile (staff.user_id) or a student (users.student_id).
import type { Knex } from 'knex';
import { sqlNow } from '../lib/time';

export interface StaffLinkRow {
  id: number;
  staff_no: string;
  name: string;
  user_id: number | null;
  deleted_at: string | null;
}

export interface StudentLinkRow {
  id: number;
  student_no: string;
  name: string;
  deleted_at: string | null;
}

export class AccountLinksRepository {
  constructor(private readonly db: Knex) {}

  findStaff(id: number, trx: Knex = this.db, options: { lock?: boolean } = {}): Promise<StaffLinkRow | undefined> {
    const q = trx<StaffLinkRow>('staff').where({ id }).first('id', 'staff_no', 'name', 'user_id', 'deleted_at');
    return options.lock ? q.forUpdate() : q;
  }

  findStudent(id: number, trx: Knex = this.db, options: { lock?: boolean } = {}): Promise<StudentLinkRow | undefined> {
    const q = trx<StudentLinkRow>('students').where({ id }).first('id', 'student_no', 'name', 'deleted_at');
    return options.lock ? q.forUpdate() : q;
  }

  /** Links only a profile that has no account yet; 0 rows means another account took it first. */
  linkStaff(staffId: number, userId: number, trx: Knex = this.db): Promise<number> {
    return trx('staff')
      .where({ id: staffId })
      .whereNull('user_id')
      .update({ user_id: userId, updated_at: sqlNow(), version: trx.raw('version + 1') });
  }
}
