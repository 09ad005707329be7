// What this node knows about itself for the cluster page: requests served, recent p95, memory, lag.
import type { RequestHandler } from 'express';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const WINDOW = 1_024; // the most recent request durations kept for the p95
const LOOP_RESOLUTION_MS = 20;

export interface NodeSnapshot {
  requests: number;
  p95Ms: number;
  rssMb: number;
  heapUsedMb: number;
  eventLoopLagMs: number;
}

export class NodeStats {
  private requests = 0;
  private readonly durations = new Float64Array(WINDOW);
  private filled = 0;
  private readonly loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });

  constructor() {
    this.loop.enable();
  }

  middleware(): RequestHandler {
    return (_req, res, next) => {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        this.durations[this.requests % WINDOW] = Number(process.hrtime.bigint() - started) / 1e6;
        this.requests++;
        this.filled = Math.min(this.filled + 1, WINDOW);
      });
      next();
    };
  }

  snapshot(): NodeSnapshot {
    const recent = Array.from(this.durations.subarray(0, this.filled)).sort((a, b) => a - b);
    const p95 = recent.length ? recent[Math.min(recent.length - 1, Math.floor(recent.length * 0.95))]! : 0;
    const memory = process.memoryUsage();
    // The histogram measures the sampling timer itself too: the lag is what goes beyond its interval.
    const lag = Math.max(0, this.loop.mean / 1e6 - LOOP_RESOLUTION_MS);
    this.loop.reset();
    return {
      requests: this.requests,
      p95Ms: Math.round(p95 * 10) / 10,
      rssMb: Math.round(memory.rss / 1048576),
      heapUsedMb: Math.round(memory.heapUsed / 1048576),
      eventLoopLagMs: Number.isFinite(lag) ? Math.round(lag * 10) / 10 : 0,
    };
  }

  stop(): void {
    this.loop.disable();
  }
}
