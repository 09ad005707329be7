import type { Knex } from 'knex';
import { majorsDef } from '../../../src/organisation/majors';
import { RecordsRepository } from '../../../src/records/records.repository';
import { createDepartment } from './departments';
import { next } from './unique';

/** A major, in a new department unless `department_id` is given. */
export async function createMajor(db: Knex, overrides: Record<string, unknown> = {}): Promise<number> {
  const n = next();
  const department_id = overrides.department_id ?? (await createDepartment(db));
  return new RecordsRepository(db, majorsDef).insert({ code: `M${n}`, name: `专业 ${n}`, department_id, ...overrides });
}
