// The organisation records (departments, majors, classes, staff profiles): one shared record service and
// router shape, four definitions. Other features ask their questions through `OrganisationServices`.
import { Router } from 'express';
import type { Knex } from 'knex';
import type { AuditRepository } from '../audit/audit.repository';
import type { IdempotentWrites } from '../idempotency/idempotent-write';
import { recordRoutes } from '../records/records.routes';
import { RecordsService } from '../records/records.service';
import type { LookupSources } from '../records/records.types';
import type { StudentsService } from '../students/students.service';
import type { UsersRepository } from '../users/users.repository';
import { type ClassRow, classesDef } from './classes';
import { type DepartmentRow, departmentsDef } from './departments';
import { type MajorRow, majorsDef } from './majors';
import { StaffService } from './staff.service';

export interface OrganisationServices {
  departments: RecordsService<DepartmentRow>;
  majors: RecordsService<MajorRow>;
  classes: RecordsService<ClassRow>;
  staff: StaffService;
}

export function organisationServices(deps: { db: Knex; audit: AuditRepository; users: UsersRepository }) {
  const { db, audit, users } = deps;
  const sources: LookupSources = {
    options: (kind) => services[kind].options(),
    staffAccounts: async () => (await users.staffAccountChoices()).map((r) => ({ value: r.id, label: r.username })),
  };
  const services: OrganisationServices = {
    departments: new RecordsService(db, departmentsDef, audit),
    majors: new RecordsService(db, majorsDef, audit, { sources }),
    classes: new RecordsService(db, classesDef, audit, { sources }),
    staff: new StaffService(db, audit, sources),
  };
  return services;
}

export function organisationRoutes(deps: {
  organisation: OrganisationServices;
  students: StudentsService;
  writes: IdempotentWrites;
}): Router {
  const { organisation, students, writes } = deps;
  const router = Router();
  router.use('/departments', recordRoutes({ service: organisation.departments, writes }));
  router.use('/majors', recordRoutes({ service: organisation.majors, writes }));
  router.use(
    '/classes',
    recordRoutes({
      service: organisation.classes,
      writes,
      detail: async (row) => ({ students: await students.membersOfClass(row.id, { limit: 500 }) }),
      showPartial: '_class-students',
    }),
  );
  router.use('/staff', recordRoutes({ service: organisation.staff, writes }));
  return router;
}
