// Rows for the organisation and terms suites, each with unique codes, inserted directly.
import type { Knex } from 'knex';
import { sqlNow } from '../../src/lib/time';

let counter = 0;
const next = () => `${process.pid % 10000}${String(++counter).padStart(4, '0')}`;

async function insert(db: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  const now = sqlNow();
  const [id] = await db(table).insert({ ...row, created_at: now, updated_at: now });
  return Number(id);
}

export function uniqueCode(prefix: string): string {
  return `${prefix}${next()}`;
}

export function createDepartment(db: Knex, overrides: Record<string, unknown> = {}): Promise<number> {
  const n = next();
  return insert(db, 'departments', { code: `D${n}`, name: `院系 ${n}`, ...overrides });
}

export async function createMajor(db: Knex, overrides: Record<string, unknown> = {}): Promise<number> {
  const n = next();
  const department_id = overrides.department_id ?? (await createDepartment(db));
  return insert(db, 'majors', { code: `M${n}`, name: `专业 ${n}`, department_id, ...overrides });
}

export function createStaffProfile(db: Knex, overrides: Record<string, unknown> = {}): Promise<number> {
  const n = next();
  return insert(db, 'staff', { staff_no: `S${n}`, name: `教师 ${n}`, title: '讲师', ...overrides });
}

/** A free academic year for a term code: each call gets its own, so codes never collide. */
let yearCounter = 0;
export function freeYear(): number {
  return 2100 + (process.pid % 50) * 20 + ++yearCounter;
}

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

export function createTerm(db: Knex, overrides: Record<string, unknown> = {}): Promise<number> {
  const year = freeYear();
  return insert(db, 'terms', {
    code: `${year}-${year + 1}-1`,
    academic_year: `${year}-${year + 1}`,
    semester: 1,
    name: `Term ${year}`,
    starts_on: `${year}-09-01`,
    ends_on: `${year + 1}-01-20`,
    selection_opens_at: `${year}-08-20 08:00:00`,
    selection_closes_at: `${year}-09-10 18:00:00`,
    ...overrides,
  });
}
