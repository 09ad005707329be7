// The operator's view of the cluster: every node seen in the last hour, as up, draining or gone.
import type { Redis } from 'ioredis';
import { NODE_KEY_PREFIX, NODES_SEEN_KEY, type NodeInfo } from './heartbeat';

const FORGET_AFTER_MS = 3_600_000;

export interface ClusterNode {
  nodeId: string;
  status: 'up' | 'draining' | 'gone';
  lastSeen: string;
  info?: NodeInfo;
}

export class ClusterService {
  constructor(
    private readonly redis: Redis | undefined,
    private readonly self: () => NodeInfo,
  ) {}

  async nodes(): Promise<ClusterNode[]> {
    if (!this.redis) {
      // One node with in-process sessions: only this one exists.
      const info = this.self();
      return [{ nodeId: info.nodeId, status: info.state === 'ready' ? 'up' : 'draining', lastSeen: info.at, info }];
    }
    const now = Date.now();
    await this.redis.zremrangebyscore(NODES_SEEN_KEY, 0, now - FORGET_AFTER_MS);
    const seen = await this.redis.zrange(NODES_SEEN_KEY, 0, -1, 'WITHSCORES');
    const ids: string[] = [];
    const lastSeen = new Map<string, number>();
    for (let i = 0; i < seen.length; i += 2) {
      ids.push(seen[i]!);
      lastSeen.set(seen[i]!, Number(seen[i + 1]));
    }
    if (ids.length === 0) return [];
    const payloads = await this.redis.mget(ids.map((id) => NODE_KEY_PREFIX + id));
    return ids
      .map((nodeId, i): ClusterNode => {
        const raw = payloads[i];
        const seenAt = new Date(lastSeen.get(nodeId)!).toISOString();
        if (!raw) return { nodeId, status: 'gone', lastSeen: seenAt };
        const info = JSON.parse(raw) as NodeInfo;
        return { nodeId, status: info.state === 'ready' ? 'up' : 'draining', lastSeen: info.at, info };
      })
      .sort((a, b) => a.nodeId.localeCompare(b.nodeId));
  }
}
