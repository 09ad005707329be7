import type { Knex } from 'knex';
import { sqlNow } from '../../../src/lib/time';
import { RecordsRepository } from '../../../src/records/records.repository';
import { termsDef } from '../../../src/terms/terms.def';
import { next } from './unique';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface TermOverrides {
  code?: string;
  name?: string;
  academic_year?: string;
  semester?: number;
  starts_on?: string;
  ends_on?: string;
  /** true: this becomes the one current term (current_marker = 1), clearing the marker elsewhere. */
  current?: boolean;
  /** Defaults: opened yesterday, closes in a week (the window is open now). null leaves it unset. */
  selection_opens_at?: string | Date | null;
  selection_closes_at?: string | Date | null;
}

const asSqlTime = (value: string | Date | null): string | null => (value instanceof Date ? sqlNow(value) : value);

export async function createTerm(db: Knex, overrides: TermOverrides = {}): Promise<{ id: number; code: string }> {
  const n = next();
  const { current, ...fields } = overrides;
  const code = fields.code ?? `TM${n}`;
  const opens = fields.selection_opens_at === undefined ? new Date(Date.now() - DAY_MS) : fields.selection_opens_at;
  const closes =
    fields.selection_closes_at === undefined ? new Date(Date.now() + 7 * DAY_MS) : fields.selection_closes_at;
  // Raw: only TermsService moves the marker, and it writes an audit row a factory does not want.
  if (current) await db('terms').whereNotNull('current_marker').update({ current_marker: null });
  const id = await new RecordsRepository(db, termsDef()).insert({
    academic_year: '2026-2027',
    semester: 1,
    name: `学期 ${n}`,
    starts_on: '2026-09-01',
    ends_on: '2027-01-20',
    ...fields,
    code,
    current_marker: current ? 1 : null,
    selection_opens_at: asSqlTime(opens),
    selection_closes_at: asSqlTime(closes),
  });
  return { id, code };
}

/** A free academic year for a term code: each call gets its own, so codes never collide. */
let yearCounter = 0;
export function freeYear(): number {
  return 2100 + (process.pid % 50) * 20 + ++yearCounter;
}

/** The fields of a term in a year of its own, valid as the terms form reads them (for createTerm). */
export function freeTerm(): TermOverrides {
  const year = freeYear();
  return {
    code: `${year}-${year + 1}-1`,
    academic_year: `${year}-${year + 1}`,
    semester: 1,
    name: `Term ${year}`,
    starts_on: `${year}-09-01`,
    ends_on: `${year + 1}-01-20`,
    selection_opens_at: `${year}-08-20 08:00:00`,
    selection_closes_at: `${year}-09-10 18:00:00`,
  };
}

/** Form-style (all strings) body for POST /terms, in a year of its own. */
export function termForm(overrides: Record<string, string> = {}): Record<string, string> {
  const year = freeYear();
  return {
    code: `${year}-${year + 1}-1`,
    academic_year: `${year}-${year + 1}`,
    semester: '1',
    name: `${year}-${year + 1} 学年第一学期`,
    starts_on: `${year}-09-01`,
    ends_on: `${year + 1}-01-20`,
    selection_opens_at: `${year}-08-20T08:00`,
    selection_closes_at: `${year}-09-10T18:00`,
    ...overrides,
  };
}
