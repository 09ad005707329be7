// Staff profiles: teachers and registry staff, optionally linked to the user account they sign in with.
import { z } from 'zod';
import { optionalId, optionalText, requiredText } from '../lib/schema-helpers';
import { codeField, optionalEmail, optionalPhone } from './organisation.schemas';
import { recordJson } from '../records/record-json';
import type { BaseRow } from '../records/records.repository';
import type { RecordDef } from '../records/records.types';

export interface StaffRow extends BaseRow {
  staff_no: string;
  name: string;
  department_id: number | null;
  title: string | null;
  email: string | null;
  phone: string | null;
  user_id: number | null;
  deleted_at: string | null;
}

export const staffDef: RecordDef<StaffRow> = {
  table: 'staff',
  entity: 'staff',
  base: '/staff',
  ns: 'org.staff',
  archivable: true,
  prefixColumns: ['staff_no'],
  containsColumns: ['name'],
  orderBy: 'staff_no',
  sortable: ['staff_no', 'name', 'title'],
  fields: [
    { name: 'staff_no', type: 'text', required: true },
    { name: 'name', type: 'text', required: true },
    { name: 'department_id', type: 'select' },
    { name: 'title', type: 'text' },
    { name: 'email', type: 'email' },
    { name: 'phone', type: 'text' },
    { name: 'user_id', type: 'select' },
  ],
  listColumns: ['staff_no', 'name', 'department_id', 'title'],
  schema: z.object({
    staff_no: codeField(32, 'org.validation.staff_no.format'),
    name: requiredText(100),
    department_id: optionalId,
    title: optionalText(64),
    email: optionalEmail,
    phone: optionalPhone,
    user_id: optionalId,
  }),
  unique: { staff_no: 'org.validation.staff_no.taken', user_id: 'org.validation.user_id.taken' },
  references: {
    department_id: { table: 'departments', archivable: true },
    // Staff-role accounts only: a profile makes its account a teacher or adviser, and staff must not attach
    // one to an administrator's (or a student's) account. The unique key keeps one profile per account.
    user_id: {
      table: 'users',
      archivable: false,
      where: { role: 'staff', active: true },
      errorKey: 'org.validation.user_id.not_staff',
    },
  },
  label: (row) => row.name,
  lookups: async (sources) => ({
    department_id: await sources.options('departments'),
    user_id: await sources.staffAccounts(),
  }),
  toJson: (row) => recordJson(row, ['staff_no', 'name', 'department_id', 'title', 'email', 'phone', 'user_id']),
};
