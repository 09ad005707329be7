import type { Knex } from 'knex';
import { classesDef } from '../../../src/organisation/classes';
import { RecordsRepository } from '../../../src/records/records.repository';
import { createDepartment } from './departments';
import { createMajor } from './majors';
import { next } from './unique';

/** A department, a major in it and an administrative class of that major, for rows that need a class. */
export async function createClass(
  db: Knex,
  overrides: { entry_year?: number } = {},
): Promise<{ id: number; majorId: number; departmentId: number }> {
  const n = next();
  const departmentId = await createDepartment(db);
  const majorId = await createMajor(db, { department_id: departmentId });
  const id = await new RecordsRepository(db, classesDef).insert({
    code: `C${n}`,
    name: `班级 ${n}`,
    major_id: majorId,
    entry_year: overrides.entry_year ?? 2024,
  });
  return { id, majorId, departmentId };
}
