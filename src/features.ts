// The features and how they are wired: each service built once per app on the database, each router
// mounted under its path. createApp (app.ts) puts the shared middleware (session, language, CSRF, errors)
// around them.
import { type RequestHandler, Router } from 'express';
import type { Knex } from 'knex';
import { adminRoutes } from './admin/admin.routes';
import { AuditLogRepository } from './admin/audit-log.repository';
import { adminAuditRoutes } from './admin/audit-log.routes';
import { AuditLogService } from './admin/audit-log.service';
import { adminUsersRoutes } from './admin/users.routes';
import { UsersAdminService } from './admin/users.service';
import { AuditPresenter } from './audit/audit-presenter';
import { AuditRepository } from './audit/audit.repository';
import { authRoutes } from './auth/auth.routes';
import { AuthService } from './auth/auth.service';
import { BoundedConcurrency } from './lib/bounded-concurrency';
import { memoryLimiters, PasswordGuessLimits } from './auth/login-limiter';
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
import { importsRoutes } from './imports/imports.routes';
import { ImportJobsRepository } from './imports/import-jobs.repository';
import { importJobsRoutes } from './imports/import-jobs.routes';
import { ImportJobsService } from './imports/import-jobs.service';
import { ImportsService } from './imports/imports.service';
import { MeRepository } from './me/me.repository';
import { meRoutes } from './me/me.routes';
import { MeService } from './me/me.service';
import { organisationRoutes, organisationServices } from './organisation/organisation.routes';
import type { Option } from './records/records.types';
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
import type { JobQueue } from './jobs/job-queue';
import type { Logger } from 'pino';
import { isSelectionOpen } from './lib/time';
import { waitingRoom } from './waiting-room/waiting-room.middleware';
import type { WaitingRoomService } from './waiting-room/waiting-room.service';

export interface FeatureDeps {
  config: Readonly<Config>;
  db: Knex;
  /** Also read by the session middleware (loadUser), so built once by createApp. */
  users: UsersRepository;
  cluster: ClusterService;
  /** The course-selection waiting room (disabled when SELECTION_ACTIVE_MAX is 0). */
  room: WaitingRoomService;
  /** Wrong-password counts, shared by every node (Redis) in a cluster. */
  guesses: PasswordGuessLimits;
  /** Background jobs (imports): every node works them (BullMQ on Redis; in process when embedded). */
  jobQueue: JobQueue;
  logger?: Logger;
}

export function featureRoutes(deps: FeatureDeps): Router {
  const { config, db, users, cluster } = deps;
  const router = Router();
  const audit = new AuditRepository(db, config.nodeId);
  const writes = new IdempotentWrites(new IdempotencyRepository(db), config.sessionSecrets, {
    strict: config.env !== 'production',
  });

  const services = buildServices({ config, db, users, audit, guesses: deps.guesses });
  const {
    organisation,
    students,
    terms,
    courses,
    enrolments,
    sections,
    grades,
    auditLog,
    auth,
    dashboard,
    me,
    usersAdmin,
    imports,
  } = services;
  const classOptions = () => organisation.classes.options();
  const classNames = (ids: readonly number[]) => organisation.classes.namesOf(ids);

  router.use(
    authRoutes({
      auth,
      writes,
      room: deps.room,
    }),
  );
  router.use(homeRoutes({ dashboard }));
  router.use('/me', meRoutes({ me, writes }));
  router.use('/students', studentsRoutes({ students, writes, classOptions, classNames }));
  router.use('/admin', adminRoutes({ cluster, room: deps.room }));
  router.use('/admin/users', adminUsersRoutes({ users: usersAdmin, writes }));
  router.use('/admin/audit', adminAuditRoutes({ auditLog }));
  router.use('/courses', coursesRoutes({ courses, writes }));
  const hold = waitingRoom({
    room: deps.room,
    selectionOpen: async (user) => {
      const term = await terms.current();
      if (!term || user.studentId === null) return false;
      return isSelectionOpen(await enrolments.selectionWindow(user.studentId, term));
    },
  });
  router.use('/sections', sectionWork({ sections, enrolments, grades, classOptions, writes, hold }));
  router.use(organisationRoutes({ organisation, students, writes }));
  router.use('/terms', termsRoutes({ terms, writes }));
  router.use('/imports', importsRoutes({ imports }));
  // Imports run as background jobs: this node's worker starts here, and takes up what a stopped node left.
  const importJobs = new ImportJobsService(db, new ImportJobsRepository(db), deps.jobQueue, imports, {
    nodeId: config.nodeId,
    logger: deps.logger,
  });
  importJobs.start().catch((err: unknown) => deps.logger?.error({ err }, 'import jobs did not start'));
  router.use('/imports', importJobsRoutes({ jobs: importJobs, writes }));

  return router;
}

/**
 * Every feature's service, each built once: a feature that asks another a question is handed that
 * feature's service as a named port. Tests build the same set (with their own audit repository, say).
 */
export function buildServices(deps: {
  config: Readonly<Config>;
  db: Knex;
  users: UsersRepository;
  audit?: AuditRepository;
  /** In-process counts unless given (tests that do not sign in). */
  guesses?: PasswordGuessLimits;
}) {
  const { config, db, users } = deps;
  const guesses = deps.guesses ?? new PasswordGuessLimits(config.login, memoryLimiters);
  const hashing = new BoundedConcurrency(config.login.hashConcurrency, config.login.hashQueue);
  const audit = deps.audit ?? new AuditRepository(db, config.nodeId);
  const organisation = organisationServices({ db, audit, users });
  const students = new StudentsService(db, new StudentsRepository(db), audit);
  const terms = new TermsService(db, audit, config.timeZone);
  const courses = new CoursesService(db, new CoursesRepository(db), audit, organisation.departments);
  const grades = new GradesService(db, new GradesRepository(db), audit);
  const enrolments = new EnrolmentsService(db, new EnrolmentsRepository(db), audit, {
    students,
    classes: organisation.classes,
    windows: terms,
    grades,
  });
  const sections = new SectionsService(db, new SectionsRepository(db), audit, {
    terms,
    courses,
    teachers: organisation.staff,
    seats: enrolments,
  });
  // The audit log names the records its rows point to: each table's owner answers for its names.
  const auditPresenter = new AuditPresenter(
    {
      student: students,
      course: courses,
      section: sections,
      term: terms,
      department: organisation.departments,
      major: organisation.majors,
      class: organisation.classes,
      staff: organisation.staff,
      user: users,
    },
    config.timeZone,
  );
  const auditLog = new AuditLogService(new AuditLogRepository(db, config.timeZone), auditPresenter);
  const auth = new AuthService(db, users, audit, guesses, hashing);
  const dashboard = new DashboardService(new DashboardRepository(db), students, auditLog, terms);
  const me = new MeService(db, students, new MeRepository(db), audit, terms);
  const usersAdmin = new UsersAdminService(db, users, audit, { students, staff: organisation.staff });
  const imports = new ImportsService(db, audit, { students, classes: organisation.classes, grades });

  return {
    organisation,
    students,
    terms,
    courses,
    enrolments,
    sections,
    grades,
    auditLog,
    auth,
    dashboard,
    me,
    usersAdmin,
    imports,
  };
}

/**
 * Everything under /sections: the catalogue's section pages (sections/), course selection and the
 * roster (enrolments/), the grade grid (grades/). One router, the collaborators named.
 */
function sectionWork(deps: {
  sections: SectionsService;
  enrolments: EnrolmentsService;
  grades: GradesService;
  classOptions: () => Promise<Option[]>;
  writes: IdempotentWrites;
  /** The waiting room, before a student's selection pages and actions. */
  hold: RequestHandler;
}): Router {
  const { sections, enrolments, grades, writes, hold } = deps;
  const pages = sectionPages({
    sections,
    classOptions: deps.classOptions,
    roster: (id: number) => enrolments.roster(id),
    placesOf: (studentId, termId) => enrolments.forStudent(studentId, termId),
    windowOf: (studentId, term) => enrolments.selectionWindow(studentId, term),
  });
  const router = Router();
  router.get('/', hold);
  router.post('/:id/enrolments', hold);
  router.post('/:id/enrolments/:studentId/delete', hold);
  router.use(
    sectionsRoutes({
      pages,
      sections,
      writes,
    }),
  );
  router.use(enrolmentsRoutes({ enrolments, writes, pages }));
  router.use(rosterRoutes({ pages, section: (id) => sections.get(id), enrolments }));
  router.use(gradesRoutes({ grades, writes }));
  return router;
}
