import type { Knex } from 'knex';
import { departmentsDef } from '../../../src/organisation/departments';
import { RecordsRepository } from '../../../src/records/records.repository';
import { next } from './unique';

export function createDepartment(db: Knex, overrides: Record<string, unknown> = {}): Promise<number> {
  const n = next();
  return new RecordsRepository(db, departmentsDef).insert({ code: `D${n}`, name: `院系 ${n}`, ...overrides });
}
