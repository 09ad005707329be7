// The only reader of process.env: validates it once and hands out a frozen, typed config.
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_HASH_NICE } from './auth/password-workers';
import { canonicalTimeZone, DEFAULT_TIME_ZONE, isValidTimeZone } from './i18n/format';

const DEFAULT_DEMO_PASSWORD = 'demo-password';
const DEV_SESSION_SECRET = 'dev-only-session-secret-change-me';
export const DEFAULT_UNIVERSITY_NAME = '示范大学';
export const DEFAULT_UNIVERSITY_NAME_EN = 'Demonstration University';
const UNIVERSITY_NAME_MAX = 100;

const emptyToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const intFromEnv = (fallback: number, min: number, max: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).default(fallback));

/** A name printed at the head of official documents: one line of at most UNIVERSITY_NAME_MAX characters. */
const universityName = (name: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .max(UNIVERSITY_NAME_MAX, { message: `${name} must be at most ${UNIVERSITY_NAME_MAX} characters` })
      .refine((value) => !/\p{Cc}/u.test(value), { message: `${name} must be one line of text` })
      .optional(),
  );

const envSchema = z
  .object({
    NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['development', 'test', 'production']).default('development')),
    PORT: intFromEnv(3000, 1, 65535),
    HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),
    DATABASE_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^mysql:\/\/[^\s]+$/, { message: 'DATABASE_URL must be a mysql:// URL' })
        .optional(),
    ),
    SQLITE_FILE: z.preprocess(emptyToUndefined, z.string().default('data/sis.sqlite3')),
    REDIS_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^rediss?:\/\/[^\s]+$/, { message: 'REDIS_URL must be a redis:// URL' })
        .optional(),
    ),
    SESSION_SECRET: z.preprocess(emptyToUndefined, z.string().optional()),
    SESSION_IDLE_MINUTES: intFromEnv(30, 1, 24 * 60),
    JOB_LOCK_MS: intFromEnv(30_000, 1_000, 10 * 60_000),
    SESSION_ABSOLUTE_HOURS: intFromEnv(12, 1, 30 * 24),
    METRICS_TOKEN: z.preprocess(
      emptyToUndefined,
      z.string().min(16, { message: 'METRICS_TOKEN must be at least 16 characters' }).optional(),
    ),
    NODE_ID: z.preprocess(emptyToUndefined, z.string().max(64).default(os.hostname())),
    DEMO_PASSWORD: z.preprocess(emptyToUndefined, z.string().min(8).optional()),
    TRUST_PROXY: z.preprocess(emptyToUndefined, z.string().default('loopback, uniquelocal')),
    LOG_LEVEL: z.preprocess(
      emptyToUndefined,
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ),
    LOG_FORMAT: z.preprocess(
      emptyToUndefined,
      z.enum(['json', 'pretty'], { message: 'LOG_FORMAT must be json or pretty' }).optional(),
    ),
    SEED_STUDENTS: intFromEnv(200, 0, 10_000_000),
    LOGIN_MAX_FAILURES: intFromEnv(10, 1, 1000),
    LOGIN_IP_MAX_FAILURES: intFromEnv(300, 1, 1_000_000),
    PASSWORD_HASH_CONCURRENCY: intFromEnv(os.availableParallelism(), 1, 256),
    PASSWORD_HASH_QUEUE: intFromEnv(100, 0, 100_000),
    PASSWORD_HASH_NICE: intFromEnv(DEFAULT_HASH_NICE, 0, 19),
    SELECTION_ACTIVE_MAX: intFromEnv(0, 0, 10_000_000),
    SELECTION_IDLE_SECONDS: intFromEnv(180, 10, 24 * 3600),
    OVERLOAD_MAX_LAG_MS: intFromEnv(100, 0, 60_000),
    OVERLOAD_MAX_IN_FLIGHT: intFromEnv(128, 0, 100_000),
    DB_IDLE_TRANSACTION_SECONDS: intFromEnv(1, 0, 3_600),
    SIS_ROLE: z.enum(['server', 'cli']).default('server'),
    LOGIN_WINDOW_MINUTES: intFromEnv(15, 1, 24 * 60),
    TIME_ZONE: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .trim()
        .default(DEFAULT_TIME_ZONE)
        .refine(isValidTimeZone, {
          message: 'TIME_ZONE must be an IANA time zone name such as Asia/Shanghai or UTC',
        })
        .transform(canonicalTimeZone),
    ),
    UNIVERSITY_NAME: universityName('UNIVERSITY_NAME'),
    UNIVERSITY_NAME_EN: universityName('UNIVERSITY_NAME_EN'),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    if (!env.SESSION_SECRET && env.SIS_ROLE !== 'cli') {
      ctx.addIssue({
        code: 'custom',
        path: ['SESSION_SECRET'],
        message: 'SESSION_SECRET is required when NODE_ENV=production',
      });
    }
    if (env.DEMO_PASSWORD === DEFAULT_DEMO_PASSWORD) {
      ctx.addIssue({
        code: 'custom',
        path: ['DEMO_PASSWORD'],
        message: `DEMO_PASSWORD must not be "${DEFAULT_DEMO_PASSWORD}" in production`,
      });
    }
  });

export type DatabaseConfig = { client: 'mysql'; url: string } | { client: 'sqlite'; filename: string };

export interface Config {
  env: 'development' | 'test' | 'production';
  isProduction: boolean;
  port: number;
  host: string;
  database: DatabaseConfig;
  redisUrl?: string;
  sessionSecrets: string[];
  sessionIdleMs: number;
  /** How long a node's hold on a background job lasts unrenewed: a dead node's job moves on after it. */
  jobLockMs: number;
  /** A sign-in ends this long after it began, however active the session (besides the idle timeout). */
  sessionAbsoluteMs: number;
  /** Bearer token that lets a scraper read /metrics through a proxy; unset: direct loopback requests only. */
  metricsToken?: string;
  nodeId: string;
  /** Undefined in production: demo accounts are never seeded there. */
  demoPassword?: string;
  trustProxy: string;
  logLevel: string;
  /** LOG_FORMAT; unset: pretty lines on a terminal outside production, JSON otherwise (lib/logger.ts). */
  logFormat?: 'json' | 'pretty';
  /**
   * Wrong passwords per account and per client address in a window; argon2id verifications at once per
   * node, and how many may wait for one before sign-in answers 503.
   */
  login: {
    maxFailures: number;
    ipMaxFailures: number;
    windowMs: number;
    hashConcurrency: number;
    hashQueue: number;
    hashNice: number;
  };
  /** The waiting room: students active in course selection at once (0: no waiting room), and idle expiry. */
  selection: { activeMax: number; idleMs: number };
  /**
   * Load shedding (middleware/load-shedding.ts): a new request is answered 503 `overloaded` while the event
   * loop lags more than `maxLagMs` or `maxInFlight` requests are being answered; 0 turns either off.
   */
  overload: { maxLagMs: number; maxInFlight: number };
  /**
   * MariaDB rolls back (and disconnects) a transaction left idle this long, so a stalled node never holds
   * a row or idempotency-key lock that the retry of its request on another node waits for (0: never).
   */
  dbIdleTransactionSeconds: number;
  /** How many demo students `npm run seed` makes. */
  seedStudents: number;
  /** IANA zone that pages show times in (stored times stay UTC). */
  timeZone: string;
  /**
   * The university's name at the head of printed documents (transcripts, class rosters); `nameEn` on
   * English pages, which show `name` when there is none.
   */
  university: { name: string; nameEn?: string };
}

export class ConfigError extends Error {}

/** `role: 'cli'` (migrate, seed) signs no sessions, so it needs no SESSION_SECRET. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, role: 'server' | 'cli' = 'server'): Readonly<Config> {
  const parsed = envSchema.safeParse({ ...env, SIS_ROLE: role });
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const name = first?.path.join('.') || 'environment';
    const message = first?.message ?? 'invalid value';
    throw new ConfigError(message.includes(name) ? message : `${name}: ${message}`);
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === 'production';
  const secrets = (e.SESSION_SECRET ?? DEV_SESSION_SECRET)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (isProduction && role === 'server' && secrets.some((s) => s.length < 32)) {
    throw new ConfigError('SESSION_SECRET: each secret must be at least 32 characters in production');
  }
  const database: DatabaseConfig = e.DATABASE_URL
    ? { client: 'mysql', url: e.DATABASE_URL }
    : { client: 'sqlite', filename: path.resolve(e.SQLITE_FILE) };

  return Object.freeze({
    env: e.NODE_ENV,
    isProduction,
    port: e.PORT,
    host: e.HOST,
    database: Object.freeze(database),
    redisUrl: e.REDIS_URL,
    sessionSecrets: secrets,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    jobLockMs: e.JOB_LOCK_MS,
    sessionAbsoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000,
    metricsToken: e.METRICS_TOKEN,
    nodeId: e.NODE_ID,
    demoPassword: isProduction ? undefined : (e.DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD),
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    seedStudents: e.SEED_STUDENTS,
    timeZone: e.TIME_ZONE,
    // The English default belongs to the default name only: a configured Chinese name is not "Demonstration University".
    university: Object.freeze({
      name: e.UNIVERSITY_NAME ?? DEFAULT_UNIVERSITY_NAME,
      nameEn: e.UNIVERSITY_NAME_EN ?? (e.UNIVERSITY_NAME ? undefined : DEFAULT_UNIVERSITY_NAME_EN),
    }),
    login: Object.freeze({
      maxFailures: e.LOGIN_MAX_FAILURES,
      ipMaxFailures: e.LOGIN_IP_MAX_FAILURES,
      windowMs: e.LOGIN_WINDOW_MINUTES * 60_000,
      hashConcurrency: e.PASSWORD_HASH_CONCURRENCY,
      hashQueue: e.PASSWORD_HASH_QUEUE,
      hashNice: e.PASSWORD_HASH_NICE,
    }),
    overload: Object.freeze({ maxLagMs: e.OVERLOAD_MAX_LAG_MS, maxInFlight: e.OVERLOAD_MAX_IN_FLIGHT }),
    dbIdleTransactionSeconds: e.DB_IDLE_TRANSACTION_SECONDS,
    selection: Object.freeze({ activeMax: e.SELECTION_ACTIVE_MAX, idleMs: e.SELECTION_IDLE_SECONDS * 1000 }),
  });
}
