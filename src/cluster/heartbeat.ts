// Each node writes its heartbeat to Redis with a TTL; a node whose key expired is "gone".
import os from 'node:os';
import type { Redis } from 'ioredis';
import type { Lifecycle } from '../health/lifecycle';
import type { NodeStats } from './node-stats';

export const NODE_KEY_PREFIX = 'sis:node:';
export const NODES_SEEN_KEY = 'sis:nodes';
export const HEARTBEAT_INTERVAL_MS = 5_000;
export const HEARTBEAT_TTL_MS = 15_000;

export interface NodeInfo {
  nodeId: string;
  host: string;
  pid: number;
  version: string;
  startedAt: string;
  state: 'ready' | 'draining';
  at: string;
  requests: number;
  p95Ms: number;
  rssMb: number;
  heapUsedMb: number;
  eventLoopLagMs: number;
}

export function describeNode(
  nodeId: string,
  version: string,
  startedAt: Date,
  stats: NodeStats,
  lifecycle: Lifecycle,
): NodeInfo {
  return {
    nodeId,
    host: os.hostname(),
    pid: process.pid,
    version,
    startedAt: startedAt.toISOString(),
    state: lifecycle.isDraining ? 'draining' : 'ready',
    at: new Date().toISOString(),
    ...stats.snapshot(),
  };
}

export class Heartbeat {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly describe: () => NodeInfo,
    private readonly onError: (err: Error) => void,
  ) {}

  async beat(): Promise<void> {
    const info = this.describe();
    await this.redis
      .multi()
      .set(NODE_KEY_PREFIX + info.nodeId, JSON.stringify(info), 'PX', HEARTBEAT_TTL_MS)
      .zadd(NODES_SEEN_KEY, Date.now(), info.nodeId)
      .exec();
  }

  start(): void {
    const tick = () => this.beat().catch((err: Error) => this.onError(err));
    tick();
    this.timer = setInterval(tick, HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
