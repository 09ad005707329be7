// Load shedding: while this node's event loop lags or too many requests are in flight, a new request is
// answered 503 `overloaded` at once, before any work, so that nginx sends it to another node (and counts
// the failure, taking this node out of rotation for a while). /healthz, /readyz and /metrics are never shed.
import { performance } from 'node:perf_hooks';
import type { RequestHandler } from 'express';
import { Counter, Gauge, type Registry } from 'prom-client';
import { ServiceUnavailableError } from '../lib/errors';

/** How often the sampler looks at the event loop: a lag shows within one or two of these. */
const SAMPLE_MS = 50;
export const OVERLOADED_RETRY_AFTER_SECONDS = 2;
const NEVER_SHED = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Sent by nginx in the locations where it passes a 503 back to the client instead of retrying it (the
 * waiting room, a full sign-in queue). There a shed request is closed unanswered: nginx sees an upstream
 * error, which it does retry on the next node (the request did no work here, so that is safe).
 */
export const OVERLOAD_ANSWER_HEADER = 'x-overload-answer';

export type ShedReason = 'lag' | 'in_flight';

export class OverloadedError extends ServiceUnavailableError {
  constructor() {
    super('errors.overloaded', OVERLOADED_RETRY_AFTER_SECONDS, 'overloaded');
  }
}

export interface LoadSheddingOptions {
  /** Event-loop delay above which requests are shed (0: never for lag). */
  maxLagMs: number;
  /** Requests in flight at which a new one is shed (0: no bound). */
  maxInFlight: number;
  registry: Registry;
}

export class LoadShedder {
  private inFlight = 0;
  private lastLagMs = 0;
  private lastTick = performance.now();
  private readonly timer?: NodeJS.Timeout;
  private readonly shed: Counter<'reason'>;

  constructor(private readonly options: LoadSheddingOptions) {
    this.shed = new Counter({
      name: 'http_requests_shed_total',
      help: 'Requests answered 503 overloaded before any work, by reason (event-loop lag or requests in flight)',
      labelNames: ['reason'] as const,
      registers: [options.registry],
    });
    const inFlight = () => this.inFlight;
    new Gauge({
      name: 'http_requests_in_flight',
      help: 'Requests being answered now (probes and metrics not counted)',
      registers: [options.registry],
      collect() {
        this.set(inFlight());
      },
    });
    if (options.maxLagMs > 0) {
      this.timer = setInterval(() => {
        const now = performance.now();
        this.lastLagMs = Math.max(0, now - this.lastTick - SAMPLE_MS);
        this.lastTick = now;
      }, SAMPLE_MS);
      this.timer.unref();
    }
  }

  /**
   * The event loop's delay: the last sample's, or longer when the next sample is already overdue (a
   * request handled right after a stall sees it before the timer has had its turn).
   */
  lagMs(): number {
    if (!this.timer) return 0;
    const overdue = performance.now() - this.lastTick - SAMPLE_MS;
    return Math.max(this.lastLagMs, overdue);
  }

  get requestsInFlight(): number {
    return this.inFlight;
  }

  /** Why a new request would be shed now, or undefined when it would be served. */
  reason(lagOnly = false): ShedReason | undefined {
    const { maxLagMs, maxInFlight } = this.options;
    if (!lagOnly && maxInFlight > 0 && this.inFlight >= maxInFlight) return 'in_flight';
    if (maxLagMs > 0 && this.lagMs() > maxLagMs) return 'lag';
    return undefined;
  }

  get overloaded(): boolean {
    return this.reason() !== undefined;
  }

  middleware(): RequestHandler {
    return (req, res, next) => {
      if (NEVER_SHED.has(req.path)) return next();
      // A sign-in waits in its own bounded queue for argon2id (PASSWORD_HASH_QUEUE, then 503 auth.busy)
      // and costs the event loop nothing meanwhile: it is neither counted in nor shed by the bound of page
      // work in flight (a lagging event loop sheds it all the same).
      const signIn = req.method === 'POST' && req.path === '/login';
      const reason = this.reason(signIn);
      if (reason) {
        this.shed.inc({ reason });
        req.log?.warn({ reason, inFlight: this.inFlight, lagMs: Math.round(this.lagMs()) }, 'request shed');
        if (req.get(OVERLOAD_ANSWER_HEADER) === 'close') {
          req.socket.destroy();
          return;
        }
        return next(new OverloadedError());
      }
      if (signIn) return next();
      this.inFlight++;
      res.once('close', () => this.inFlight--);
      next();
    };
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
