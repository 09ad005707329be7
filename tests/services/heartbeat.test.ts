// Heartbeats in Redis: a node is up while its key lives, draining when it says so, gone when it expired.
import { randomUUID } from 'node:crypto';
import { ClusterService } from '../../src/cluster/cluster.service';
import { describeNode, Heartbeat, NODE_KEY_PREFIX } from '../../src/cluster/heartbeat';
import { NodeStats } from '../../src/cluster/node-stats';
import { Lifecycle } from '../../src/health/lifecycle';
import { createRedis, redisReady } from '../../src/redis';
import { REDIS_URL } from '../helpers/test-db';

describe('node heartbeats', () => {
  // A private key prefix keeps this suite away from a real cluster using the same Redis.
  const redis = createRedis(REDIS_URL, { keyPrefix: `test-${randomUUID()}:` });
  const stats = new NodeStats();
  beforeAll(() => redisReady(redis));
  afterAll(async () => {
    stats.stop();
    await redis.quit();
  });

  function node(id: string, lifecycle = new Lifecycle()) {
    return new Heartbeat(
      redis,
      () => describeNode(id, '1.2.3', new Date('2026-01-01T00:00:00Z'), stats, lifecycle),
      (err) => {
        throw err;
      },
    );
  }

  it('lists every node as up, draining or gone', async () => {
    const draining = new Lifecycle();
    await node('node-a').beat();
    await node('node-b', draining).beat();
    await node('node-c').beat();
    draining.startDraining();
    await node('node-b', draining).beat();
    await redis.del(NODE_KEY_PREFIX + 'node-c'); // as if its TTL ran out

    const cluster = new ClusterService(redis, () => {
      throw new Error('not used with Redis');
    });
    const nodes = await cluster.nodes();
    expect(nodes.map((n) => [n.nodeId, n.status])).toEqual([
      ['node-a', 'up'],
      ['node-b', 'draining'],
      ['node-c', 'gone'],
    ]);
    expect(nodes[0]!.info).toMatchObject({ version: '1.2.3', pid: process.pid, startedAt: '2026-01-01T00:00:00.000Z' });
    expect(nodes[2]!.info).toBeUndefined();
  });

  it('writes the key with a TTL so a dead node disappears by itself', async () => {
    await node('node-ttl').beat();
    const ttl = await redis.pttl(NODE_KEY_PREFIX + 'node-ttl');
    expect(ttl).toBeGreaterThan(10_000);
    expect(ttl).toBeLessThanOrEqual(15_000);
  });
});
