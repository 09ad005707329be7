// Probes for nginx, compose and Kubernetes, and the Prometheus scrape endpoint.
import { createHash, timingSafeEqual } from 'node:crypto';
import { type Request, Router } from 'express';
import type { Knex } from 'knex';
import type { Registry } from 'prom-client';
import type { Lifecycle } from './lifecycle';

export interface DependencyCheck {
  name: string;
  check: () => Promise<unknown>;
}

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const PROXY_HEADERS = ['x-forwarded-for', 'x-real-ip', 'forwarded'];

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * /metrics is not public: a direct request from this machine (a sidecar, `curl` on the node; nothing that
 * came through a proxy, which always adds X-Forwarded-For) or a scraper sending METRICS_TOKEN as a Bearer
 * token (Prometheus in Kubernetes scrapes the pod's own address).
 */
export function mayReadMetrics(req: Request, token: string | undefined): boolean {
  const auth = req.headers.authorization;
  if (token && typeof auth === 'string' && auth.startsWith('Bearer ')) return sameSecret(auth.slice(7), token);
  const direct = PROXY_HEADERS.every((name) => req.headers[name] === undefined);
  return direct && isLoopback(req.socket.remoteAddress);
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

export function databaseCheck(db: Knex): DependencyCheck {
  return { name: 'database', check: () => db.raw('select 1') };
}

export function healthRoutes(deps: {
  nodeId: string;
  lifecycle: Lifecycle;
  /** True while the node sheds new requests (middleware/load-shedding.ts). */
  overloaded: () => boolean;
  checks: DependencyCheck[];
  registry: Registry;
  metricsToken?: string;
}): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', node: deps.nodeId });
  });

  router.get('/readyz', async (_req, res) => {
    if (deps.lifecycle.isDraining) {
      res.status(503).json({ status: 'draining', node: deps.nodeId });
      return;
    }
    if (deps.overloaded()) {
      res.status(503).json({ status: 'overloaded', node: deps.nodeId });
      return;
    }
    const results = await Promise.all(
      deps.checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), CHECK_TIMEOUT_MS);
          return { name, ok: true };
        } catch (err) {
          return { name, ok: false, error: err instanceof Error ? err.message : String(err) };
        }
      }),
    );
    const failing = results.filter((r) => !r.ok);
    const checks = Object.fromEntries(results.map((r) => [r.name, r.ok ? 'ok' : 'failing']));
    if (failing.length > 0) {
      res.status(503).json({
        status: 'unavailable',
        node: deps.nodeId,
        failing: failing.map((f) => f.name),
        checks,
      });
      return;
    }
    res.json({ status: 'ready', node: deps.nodeId, checks });
  });

  router.get('/metrics', async (req, res) => {
    if (!mayReadMetrics(req, deps.metricsToken)) {
      res.status(403).json({
        error: { code: 'forbidden', message: 'metrics are for the node itself or a scraper with METRICS_TOKEN' },
      });
      return;
    }
    res.type(deps.registry.contentType).send(await deps.registry.metrics());
  });

  return router;
}
