// Mounts departments, majors, classes and staff profiles: one shared router shape, four definitions.
import { Router } from 'express';
import type { Knex } from 'knex';
import type { AuditRepository } from '../audit/audit.repository';
import type { IdempotentWrites } from '../idempotency/idempotent-write';
import { classesDef, classStudents } from './classes';
import { departmentsDef } from './departments';
import { majorsDef } from './majors';
import { recordRoutes } from './records.routes';
import { RecordsService } from './records.service';
import { staffDef } from './staff';

export function organisationRoutes(deps: { db: Knex; audit: AuditRepository; writes: IdempotentWrites }): Router {
  const { db, audit, writes } = deps;
  const router = Router();
  router.use('/departments', recordRoutes({ service: new RecordsService(db, departmentsDef, audit), writes }));
  router.use('/majors', recordRoutes({ service: new RecordsService(db, majorsDef, audit), writes }));
  router.use(
    '/classes',
    recordRoutes({
      service: new RecordsService(db, classesDef, audit),
      writes,
      detail: async (row) => ({ students: await classStudents(db, row.id) }),
      showPartial: '_class-students',
    }),
  );
  router.use('/staff', recordRoutes({ service: new RecordsService(db, staffDef, audit), writes }));
  return router;
}
