// Majors (专业): a code and a name within one department.
import { z } from 'zod';
import { optionalText, requiredText } from '../lib/schema-helpers';
import { codeField, requiredId } from './organisation.schemas';
import { recordJson } from '../records/record-json';
import type { BaseRow } from '../records/records.repository';
import type { RecordDef } from '../records/records.types';

export interface MajorRow extends BaseRow {
  code: string;
  name: string;
  name_en: string | null;
  department_id: number;
  deleted_at: string | null;
}

export const majorsDef: RecordDef<MajorRow> = {
  table: 'majors',
  entity: 'major',
  base: '/majors',
  ns: 'org.majors',
  archivable: true,
  englishName: true,
  prefixColumns: ['code'],
  containsColumns: ['name'],
  orderBy: 'code',
  sortable: ['code', 'name'],
  fields: [
    { name: 'code', type: 'text', required: true },
    { name: 'name', type: 'text', required: true },
    { name: 'name_en', type: 'text' },
    { name: 'department_id', type: 'select', required: true },
  ],
  listColumns: ['code', 'name', 'department_id'],
  schema: z.object({
    code: codeField(16),
    name: requiredText(100),
    name_en: optionalText(200),
    department_id: requiredId,
  }),
  unique: { code: 'org.validation.code.taken' },
  references: { department_id: { table: 'departments', archivable: true } },
  label: (row) => row.name,
  labelEn: (row) => row.name_en,
  lookups: async (sources) => ({ department_id: await sources.options('departments') }),
  toJson: (row) => recordJson(row, ['code', 'name', 'name_en', 'department_id']),
};
