// The Redis connection for shared sessions and login limits. Fail fast instead of queueing:
// with the offline queue off and short timeouts, a Redis outage becomes a quick 503, never a hang.
import { RedisStore } from 'connect-redis';
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { LimiterFactory } from './auth/login-limiter';
import type { DependencyCheck } from './health/health.routes';

export function createRedis(url: string, options: { keyPrefix?: string } = {}): Redis {
  return new Redis(url, {
    ...options,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 200, 2_000), // keep reconnecting in the background
  });
}

export function redisSessionStore(redis: Redis): RedisStore {
  // No touch at res.end: the session is saved before the response instead (middleware/session-save.ts).
  return new RedisStore({ client: redis, prefix: 'sis:sess:', disableTouch: true });
}

export function redisCheck(redis: Redis): DependencyCheck {
  return { name: 'redis', check: () => redis.ping() };
}

/** Resolves once connected (commands fail fast without the offline queue, so wait before serving). */
export function redisReady(redis: Redis, timeoutMs = 5_000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`Redis not reachable within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}

/** ioredis failing fast while Redis is down (no offline queue, short timeouts): a 503, not a 500. */
export function isRedisUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return (
    err.name === 'MaxRetriesPerRequestError' ||
    /^(Stream isn't writeable|Connection is closed|Command timed out|connect ECONNREFUSED)/.test(err.message)
  );
}

/** Wrong-password counters on the same Redis, so sign-in limits hold across every node. */
export function redisLimiters(redis: Redis, prefix = 'sis:rl'): LimiterFactory {
  return (options) =>
    new RateLimiterRedis({ ...options, keyPrefix: `${prefix}:${options.keyPrefix}`, storeClient: redis });
}
