// Departments (院系): a code and a name; majors, staff and courses belong to one.
import { z } from 'zod';
import { optionalText, requiredText } from '../lib/schema-helpers';
import { codeField } from './organisation.schemas';
import { recordJson } from '../records/record-json';
import type { BaseRow } from '../records/records.repository';
import type { RecordDef } from '../records/records.types';

export interface DepartmentRow extends BaseRow {
  code: string;
  name: string;
  name_en: string | null;
  deleted_at: string | null;
}

export const departmentsDef: RecordDef<DepartmentRow> = {
  table: 'departments',
  entity: 'department',
  base: '/departments',
  ns: 'org.departments',
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
  ],
  listColumns: ['code', 'name'],
  schema: z.object({ code: codeField(16), name: requiredText(100), name_en: optionalText(200) }),
  unique: { code: 'org.validation.code.taken' },
  references: {},
  label: (row) => row.name,
  labelEn: (row) => row.name_en,
  toJson: (row) => recordJson(row, ['code', 'name', 'name_en']),
};
