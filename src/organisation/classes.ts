// Administrative classes (行政班): a cohort of one major and entry year, with a staff adviser.
import { z } from 'zod';
import { optionalId, requiredInt, requiredText } from '../lib/schema-helpers';
import { codeField, requiredId } from './organisation.schemas';
import { recordJson } from '../records/record-json';
import type { BaseRow } from '../records/records.repository';
import type { RecordDef } from '../records/records.types';

export interface ClassRow extends BaseRow {
  code: string;
  name: string;
  major_id: number;
  entry_year: number;
  adviser_staff_id: number | null;
  deleted_at: string | null;
}

const thisYear = () => new Date().getUTCFullYear();

export const classesDef: RecordDef<ClassRow> = {
  table: 'classes',
  entity: 'class',
  base: '/classes',
  ns: 'org.classes',
  archivable: true,
  prefixColumns: ['code'],
  containsColumns: ['name'],
  orderBy: 'code',
  sortable: ['code', 'name', 'entry_year'],
  fields: [
    { name: 'code', type: 'text', required: true },
    { name: 'name', type: 'text', required: true },
    { name: 'major_id', type: 'select', required: true },
    { name: 'entry_year', type: 'number', required: true },
    { name: 'adviser_staff_id', type: 'select' },
  ],
  listColumns: ['code', 'name', 'major_id', 'entry_year', 'adviser_staff_id'],
  schema: z.object({
    code: codeField(32),
    name: requiredText(100),
    major_id: requiredId,
    entry_year: z.lazy(() => requiredInt(1950, thisYear() + 1, 'org.validation.entry_year.range')),
    adviser_staff_id: optionalId,
  }),
  unique: { code: 'org.validation.code.taken' },
  references: {
    major_id: { table: 'majors', archivable: true },
    adviser_staff_id: { table: 'staff', archivable: true },
  },
  label: (row) => row.name,
  lookups: async (sources) => ({
    major_id: await sources.options('majors'),
    adviser_staff_id: await sources.options('staff'),
  }),
  toJson: (row) => recordJson(row, ['code', 'name', 'major_id', 'entry_year', 'adviser_staff_id']),
};
