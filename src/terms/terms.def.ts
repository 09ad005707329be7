// How terms appear to the shared record routes and views (terms are never archived).
import type { BaseRow } from '../organisation/records.repository';
import type { RecordDef } from '../organisation/records.types';
import { termInputSchema, toDateTimeLocal } from './terms.schemas';

export interface TermRow extends BaseRow {
  code: string;
  academic_year: string;
  semester: number;
  name: string;
  current_marker: number | null;
  starts_on: string;
  ends_on: string;
  selection_opens_at: string | null;
  selection_closes_at: string | null;
}

export const termsDef: RecordDef<TermRow> = {
  table: 'terms',
  entity: 'term',
  base: '/terms',
  ns: 'terms',
  archivable: false,
  prefixColumns: ['code'],
  containsColumns: ['name'],
  orderBy: 'code',
  sortable: ['code', 'name', 'starts_on', 'ends_on', 'selection_opens_at', 'selection_closes_at'],
  fields: [
    { name: 'code', type: 'text', required: true },
    { name: 'academic_year', type: 'text', required: true },
    { name: 'semester', type: 'number', required: true },
    { name: 'name', type: 'text', required: true },
    { name: 'starts_on', type: 'date', required: true },
    { name: 'ends_on', type: 'date', required: true },
    { name: 'selection_opens_at', type: 'datetime-local' },
    { name: 'selection_closes_at', type: 'datetime-local' },
  ],
  listColumns: ['code', 'name', 'starts_on', 'ends_on', 'selection_opens_at', 'selection_closes_at'],
  schema: termInputSchema,
  unique: { code: 'terms.validation.code_taken' },
  references: {},
  label: (row) => row.name,
  formValues: (row) => ({
    selection_opens_at: toDateTimeLocal(row.selection_opens_at),
    selection_closes_at: toDateTimeLocal(row.selection_closes_at),
  }),
  toJson: (row) => ({
    id: row.id,
    code: row.code,
    academic_year: row.academic_year,
    semester: row.semester,
    name: row.name,
    starts_on: row.starts_on,
    ends_on: row.ends_on,
    selection_opens_at: row.selection_opens_at,
    selection_closes_at: row.selection_closes_at,
    current: row.current_marker === 1,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }),
};
