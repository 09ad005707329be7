import type { Knex } from 'knex';
import { RecordsRepository } from '../../../src/records/records.repository';
import { staffDef } from '../../../src/organisation/staff';
import { next } from './unique';

export interface StaffOverrides {
  staff_no?: string;
  name?: string;
  title?: string | null;
  department_id?: number | null;
  /** The user account the profile is linked to (teachers sign in with it). */
  user_id?: number | null;
}

/** A staff profile: a teacher for sections, an adviser for classes, a profile to link an account to. */
export async function createStaff(
  db: Knex,
  overrides: StaffOverrides = {},
): Promise<{ id: number; staff_no: string; name: string }> {
  const n = next();
  const row = { staff_no: `S${n}`, name: `教师 ${n}`, title: '讲师', ...overrides };
  const id = await new RecordsRepository(db, staffDef).insert(row);
  return { id, staff_no: row.staff_no, name: row.name };
}
