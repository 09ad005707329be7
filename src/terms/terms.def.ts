// How terms appear to the shared record routes and views (terms are never archived). The selection
// window is stored in UTC; people read and type it on the university's clock (config TIME_ZONE).
import { DEFAULT_TIME_ZONE, zoneInWords } from '../i18n/format';
import { termName } from '../i18n/names';
import { isWallTime, utcToWallTime, wallTimeToUtc } from '../lib/time';
import type { BaseRow } from '../records/records.repository';
import type { RecordDef } from '../records/records.types';
import { termInputSchema } from './terms.schemas';

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

const WINDOW = ['selection_opens_at', 'selection_closes_at'] as const;

/** A round form's wall times (the university's clock) -> UTC; anything else goes on for the schema to refuse. */
export function roundFromForm(body: Record<string, unknown>, timeZone: string): Record<string, unknown> {
  const converted = { ...body };
  for (const name of ['opens_at', 'closes_at']) {
    const value = body[name];
    if (typeof value === 'string' && isWallTime(value)) converted[name] = wallTimeToUtc(value, timeZone) ?? value;
  }
  return converted;
}

/** A round as JSON: times in stored UTC, as the term's own window. */
export const roundJson = (round: {
  id: number;
  term_id: number;
  enrolment_year: number;
  opens_at: string;
  closes_at: string;
}) => ({
  id: round.id,
  term_id: round.term_id,
  enrolment_year: round.enrolment_year,
  opens_at: round.opens_at,
  closes_at: round.closes_at,
});

/** Terms for a university whose clocks show `timeZone`. */
export const termsDef = (timeZone: string = DEFAULT_TIME_ZONE): RecordDef<TermRow> => ({
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
  schema: termInputSchema(timeZone),
  unique: { code: 'terms.validation.code_taken' },
  references: {},
  label: (row) => row.name,
  labelEn: (row) => termName('en', row),
  labelParams: (t) => ({ zone: zoneInWords(timeZone, t) }),
  formValues: (row) => ({
    selection_opens_at: utcToWallTime(row.selection_opens_at, timeZone),
    selection_closes_at: utcToWallTime(row.selection_closes_at, timeZone),
  }),
  // A form's datetime-local value is a wall time on the university's clock; JSON keeps UTC (or an offset).
  // Anything else (a typed offset, nonsense) goes on as sent, for the schema to read or refuse.
  fromForm: (body) => {
    const converted = { ...body };
    for (const name of WINDOW) {
      const value = body[name];
      if (typeof value === 'string' && isWallTime(value)) converted[name] = wallTimeToUtc(value, timeZone) ?? value;
    }
    return converted;
  },
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
});
