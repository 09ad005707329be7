// Probes for nginx, compose and Kubernetes, and the Prometheus scrape endpoint.
import { Router } from 'express';
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

export function databaseCheck(db: Knex): DependencyCheck {
  return { name: 'database', check: () => db.raw('select 1') };
}

export function healthRoutes(deps: {
  nodeId: string;
  lifecycle: Lifecycle;
  checks: DependencyCheck[];
  registry: Registry;
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

  router.get('/metrics', async (_req, res) => {
    res.type(deps.registry.contentType).send(await deps.registry.metrics());
  });

  return router;
}
