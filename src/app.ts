// createApp(deps): the whole Express app without listening, so tests and server.ts share it.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import cookieParser from 'cookie-parser';
import express from 'express';
import session from 'express-session';
import createMemoryStore from 'memorystore';
import helmet from 'helmet';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Redis } from 'ioredis';
import { Gauge, type Registry } from 'prom-client';
import { ClusterService } from './cluster/cluster.service';
import { describeNode } from './cluster/heartbeat';
import { NodeStats } from './cluster/node-stats';
import { type LimiterFactory, memoryLimiters, PasswordGuessLimits } from './auth/login-limiter';
import type { Config } from './config';
import { featureRoutes } from './features';
import { databaseCheck, type DependencyCheck, healthRoutes } from './health/health.routes';
import { Lifecycle } from './health/lifecycle';
import { formatterFor } from './i18n/format';
import { DEFAULT_LANGUAGE, translator } from './i18n/i18n';
import { assetUrls } from './lib/assets';
import { createLogger } from './lib/logger';
import { ServiceUnavailableError } from './lib/errors';
import { viewEngine } from './lib/view-engine';
import { appVersion, projectRoot } from './lib/paths';
import { createMetrics } from './metrics/metrics';
import { enforcePasswordChange, loadUser } from './middleware/auth';
import { limitBodyDepth } from './middleware/body-depth';
import { LoadShedder } from './middleware/load-shedding';
import { csrfProtection } from './middleware/csrf';
import { errorHandler, notFound } from './middleware/error-handler';
import { flashMessages } from './middleware/flash';
import { language } from './middleware/language';
import { layout } from './middleware/layout';
import { pageLocation } from './middleware/page-location';
import { importUpload } from './imports/import-jobs.routes';
import { InProcessJobQueue, type JobQueue } from './jobs/job-queue';
import { navigationFor } from './navigation/navigation';
import { icon } from './navigation/icons';
import { clientRequestId, requestIdGenerator } from './middleware/request-context';
import { saveSessionBeforeResponse } from './middleware/session-save';
import { UsersRepository } from './users/users.repository';
import { WaitingRoomService } from './waiting-room/waiting-room.service';
import { MemoryWaitingRoomStore, type WaitingRoomStore } from './waiting-room/waiting-room.store';

export const SESSION_COOKIE = 'sis.sid';

/** Request and response headers that carry credentials (pino-http's req/res serialisers). */
export const REDACTED_LOG_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

/**
 * Sessions without Redis (the embedded default, one node): in process, with expired sessions swept out
 * every idle period, so that memory follows the signed-in users instead of growing for ever (express-session's
 * own MemoryStore never sweeps).
 */
function inProcessSessions(idleMs: number): session.Store {
  const MemoryStore = createMemoryStore(session);
  return new MemoryStore({ checkPeriod: Math.min(idleMs, 10 * 60_000) });
}
const ROOT = projectRoot();

export interface AppDeps {
  config: Readonly<Config>;
  db: Knex;
  /** Shared session store (Redis) for a cluster; in-process memory when absent. */
  sessionStore?: session.Store;
  /** False while the shared session store is unreachable: pages answer 503 at once instead of failing later. */
  sessionStoreReady?: () => boolean;
  /** Shared wrong-password counters (Redis) for a cluster; in-process memory when absent. */
  makeLimiter?: LimiterFactory;
  extraChecks?: DependencyCheck[];
  /** Who is active in course selection and who waits: Redis for a cluster; in process when absent. */
  waitingRoomStore?: WaitingRoomStore;
  lifecycle?: Lifecycle;
  logger?: Logger;
  /** Shared Redis, read by the cluster page for every node's heartbeat. */
  redis?: Redis;
  nodeStats?: NodeStats;
  startedAt?: Date;
  /** Background jobs (imports): BullMQ on the cluster's Redis; in this process when absent. */
  jobQueue?: JobQueue;
}

export function createApp(deps: AppDeps): express.Express {
  const { config, db } = deps;
  const lifecycle = deps.lifecycle ?? new Lifecycle();
  const logger = deps.logger ?? createLogger(config);
  const metrics = createMetrics(config.nodeId);
  const shedder = new LoadShedder({ ...config.overload, registry: metrics.registry });
  const room = new WaitingRoomService(deps.waitingRoomStore ?? new MemoryWaitingRoomStore(), config.selection);
  if (room.enabled) selectionGauges(metrics.registry, room);
  const nodeStats = deps.nodeStats ?? new NodeStats();
  const version = appVersion();
  const startedAt = deps.startedAt ?? new Date();
  const cluster = new ClusterService(deps.redis, () =>
    describeNode(config.nodeId, version, startedAt, nodeStats, lifecycle),
  );

  const users = new UsersRepository(db);
  const csrf = csrfProtection(config.sessionSecrets);

  const app = express();
  app.set('trust proxy', config.trustProxy);
  const views = viewEngine();
  app.set('views', path.join(ROOT, 'views'));
  app.engine('ejs', views.render);
  app.set('view engine', 'ejs');
  // Express caches views in production; then every template is compiled now, none on a request.
  if (app.enabled('view cache')) views.preload(path.join(ROOT, 'views'));
  app.disable('x-powered-by');
  // Defaults for pages rendered before the session, language or user are known (early errors).
  Object.assign(app.locals, {
    nodeId: config.nodeId,
    asset: assetUrls(path.join(ROOT, 'public'), { cache: config.isProduction }),
    lang: DEFAULT_LANGUAGE,
    t: translator(DEFAULT_LANGUAGE),
    timeZone: config.timeZone,
    university: config.university, // views: nameOf(university.name, university.nameEn)
    fmt: formatterFor(DEFAULT_LANGUAGE, config.timeZone),
    user: null,
    flash: [],
    currentPath: '',
    navigation: () => navigationFor(null, '', (key: string) => key),
    icon,
    languageHref: (lang: string) => `?lang=${encodeURIComponent(lang)}`,
    csrfToken: () => '',
    csrfMeta: () => '',
    idemKey: () => randomUUID(), // one-time idempotency key for each rendered form
  });

  app.use(
    pinoHttp({
      // Credentials never reach a log line, in any environment: a copied cookie would sign in as its owner.
      logger: logger.child({}, { redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } }),
      // The same trust as req.ip: an X-Request-Id counts only when nginx (a trusted proxy) sent it.
      genReqId: requestIdGenerator(config.nodeId, app.get('trust proxy fn')),
      customProps: (req) => ({ clientRequestId: clientRequestId(req) ?? undefined }),
      autoLogging: { ignore: (req) => req.url === '/healthz' },
    }),
  );
  app.use(metrics.middleware);
  app.use((_req, res, next) => {
    // While draining, every answer closes its connection, so nginx's keep-alive sockets end promptly.
    if (lifecycle.isDraining) res.setHeader('Connection', 'close');
    next();
  });
  app.use(nodeStats.middleware());
  app.use(layout());
  // Before any work (session, body, database): an overloaded node answers 503 at once and nginx retries elsewhere.
  app.use(shedder.middleware());
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          'default-src': ["'self'"],
          'style-src': ["'self'"],
          'font-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'upgrade-insecure-requests': null,
        },
      },
      hsts: config.isProduction,
    }),
  );
  app.use(
    '/static',
    express.static(path.join(ROOT, 'public'), { maxAge: config.isProduction ? '7d' : 0, index: false }),
  );
  app.use(
    healthRoutes({
      nodeId: config.nodeId,
      lifecycle,
      overloaded: () => shedder.overloaded,
      registry: metrics.registry,
      checks: [databaseCheck(db), ...(deps.extraChecks ?? [])],
      metricsToken: config.metricsToken,
    }),
  );
  // Every page past this point may be personal (or carry a CSRF token): never kept by a browser or proxy.
  app.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(cookieParser());

  // The grade grid posts two fields per student of a section (capacity <= 1000).
  app.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 2_100 }));
  app.use(express.json({ limit: '100kb' }));
  app.use(limitBodyDepth());
  app.use((_req, _res, next) => {
    if (deps.sessionStoreReady && !deps.sessionStoreReady()) return next(new ServiceUnavailableError());
    next();
  });
  app.use(
    session({
      name: SESSION_COOKIE,
      secret: config.sessionSecrets,
      store: deps.sessionStore ?? inProcessSessions(config.sessionIdleMs),
      resave: false,
      saveUninitialized: false,
      rolling: true, // each request renews the idle timeout
      cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: config.sessionIdleMs },
    }),
  );
  if (deps.sessionStore) app.use(saveSessionBeforeResponse((err) => logger.warn({ err }, 'session save failed')));
  app.use(language());
  app.use(loadUser(users, { absoluteLifetimeMs: config.sessionAbsoluteMs }));
  // An upload's fields (its _csrf among them) are in its multipart body: read it before the CSRF check.
  app.post('/imports', importUpload());
  app.use(csrf.exposeToken);
  app.use(csrf.protect);
  app.use(flashMessages());
  app.use(enforcePasswordChange());
  app.use(pageLocation());

  app.use(
    featureRoutes({
      config,
      db,
      users,
      cluster,
      room,
      guesses: new PasswordGuessLimits(config.login, deps.makeLimiter ?? memoryLimiters),
      jobQueue: deps.jobQueue ?? new InProcessJobQueue(logger),
      logger,
    }),
  );

  app.use(notFound());
  app.use(errorHandler({ showStack: !config.isProduction }));
  return app;
}

/** The waiting room's figures in /metrics, read from the shared store when scraped (the same on every node). */
function selectionGauges(registry: Registry, room: WaitingRoomService): void {
  let last: Promise<{ active: number; queued: number }> | undefined;
  // One read serves both gauges of a scrape.
  const counts = () => (last ??= room.counts().finally(() => setTimeout(() => (last = undefined), 1_000).unref()));
  new Gauge({
    name: 'sis_selection_active',
    help: 'Students active in course selection (waiting room admissions), across the cluster',
    registers: [registry],
    async collect() {
      this.set((await counts()).active);
    },
  });
  new Gauge({
    name: 'sis_selection_queued',
    help: 'Students waiting in line for course selection, across the cluster',
    registers: [registry],
    async collect() {
      this.set((await counts()).queued);
    },
  });
}
