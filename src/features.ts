// The features and how they are wired: each service built once per app on the database, each router
// mounted under its path. createApp (app.ts) puts the shared middleware (session, language, CSRF, errors)
// around them.
import { Router } from 'express';
import type { Knex } from 'knex';
import { adminRoutes } from './admin/admin.routes';
import { AccountLinksRepository } from './admin/account-links.repository';
import { AuditLogRepository } from './admin/audit-log.repository';
import { adminAuditRoutes } from './admin/audit-log.routes';
import { AuditLogService } from './admin/audit-log.service';
import { adminUsersRoutes } from './admin/users.routes';
import { UsersAdminService } from './admin/users.service';
import { AuditRepository } from './audit/audit.repository';
import { authRoutes } from './auth/auth.routes';
import { AuthService } from './auth/auth.service';
import type { PasswordLimiters } from './auth/login-limiter';
import type { ClusterService } from './cluster/cluster.service';
import type { Config } from './config';
import { CoursesRepository } from './courses/courses.repository';
import { coursesRoutes } from './courses/courses.routes';
import { CoursesService } from './courses/courses.service';
import { EnrolmentsRepository } from './enrolments/enrolments.repository';
import { enrolmentsRoutes } from './enrolments/enrolments.routes';
import { EnrolmentsService } from './enrolments/enrolments.service';
import { rosterRoutes } from './enrolments/roster.routes';
import { GradesRepository } from './grades/grades.repository';
import { gradesRoutes } from './grades/grades.routes';
import { GradesService } from './grades/grades.service';
import { DashboardRepository } from './home/dashboard.repository';
import { DashboardService } from './home/dashboard.service';
import { homeRoutes } from './home/home.routes';
import { IdempotencyRepository } from './idempotency/idempotency.repository';
import { IdempotentWrites } from './idempotency/idempotent-write';
import { MeRepository } from './me/me.repository';
import { meRoutes } from './me/me.routes';
import { MeService } from './me/me.service';
import { activeOptions } from './organisation/organisation.schemas';
import { organisationRoutes } from './organisation/organisation.routes';
import { sectionPages } from './sections/section-page';
import { SectionsRepository } from './sections/sections.repository';
import { sectionsRoutes } from './sections/sections.routes';
import { SectionsService } from './sections/sections.service';
import { StudentsRepository } from './students/students.repository';
import { studentsRoutes } from './students/students.routes';
import { StudentsService } from './students/students.service';
import { termsRoutes } from './terms/terms.routes';
import { TermsService } from './terms/terms.service';
import type { UsersRepository } from './users/users.repository';

export interface FeatureDeps {
  config: Readonly<Config>;
  db: Knex;
  /** Also read by the session middleware (loadUser), so built once by createApp. */
  users: UsersRepository;
  cluster: ClusterService;
  limiters: PasswordLimiters;
}

export function featureRoutes(deps: FeatureDeps): Router {
  const { config, db, users, cluster } = deps;
  const router = Router();
  const audit = new AuditRepository(db, config.nodeId);
  const writes = new IdempotentWrites(new IdempotencyRepository(db), config.sessionSecrets);
  const students = new StudentsRepository(db);
  const studentsService = new StudentsService(db, students, audit);
  const enrolmentsService = new EnrolmentsService(db, new EnrolmentsRepository(db), audit);
  const auditLog = new AuditLogService(new AuditLogRepository(db, config.timeZone));
  const authService = new AuthService(db, users, audit);
  const dashboard = new DashboardService(new DashboardRepository(db), studentsService, auditLog);
  const classOptions = () => activeOptions(db, 'classes', 'code');

  router.use(
    authRoutes({
      auth: authService,
      writes,
      loginLimiters: deps.limiters.login,
      passwordLimiter: deps.limiters.passwordChange,
    }),
  );
  router.use(homeRoutes({ dashboard }));
  const meService = new MeService(db, students, new MeRepository(db), audit);
  router.use('/me', meRoutes({ me: meService, writes }));
  router.use('/students', studentsRoutes({ students: studentsService, writes, classOptions }));
  router.use('/admin', adminRoutes({ cluster }));
  const usersAdmin = new UsersAdminService(db, users, new AccountLinksRepository(db), audit);
  router.use('/admin/users', adminUsersRoutes({ users: usersAdmin, writes }));
  router.use('/admin/audit', adminAuditRoutes({ auditLog }));
  const coursesService = new CoursesService(db, new CoursesRepository(db), audit);
  router.use('/courses', coursesRoutes({ courses: coursesService, writes }));
  const sectionsService = new SectionsService(db, new SectionsRepository(db), audit, (id, ctx, trx) =>
    enrolmentsService.fillFreeSeats(id, ctx, trx),
  );
  const pages = sectionPages({
    sections: sectionsService,
    classOptions,
    roster: (id) => enrolmentsService.roster(id),
  });
  router.use(
    '/sections',
    sectionsRoutes({
      placesOf: (studentId, termId) => enrolmentsService.forStudent(studentId, termId),
      pages,
      sections: sectionsService,
      courses: coursesService,
      writes,
    }),
  );
  router.use('/sections', enrolmentsRoutes({ enrolments: enrolmentsService, writes, pages }));
  router.use('/sections', rosterRoutes({ pages }));
  router.use(organisationRoutes({ db, audit, writes }));
  router.use('/terms', termsRoutes({ terms: new TermsService(db, audit, config.timeZone), writes }));
  router.use('/sections', gradesRoutes({ grades: new GradesService(db, new GradesRepository(db), audit), writes }));
  // @feature-routes: a new feature builds its service above and mounts its router here, one line each.

  return router;
}
