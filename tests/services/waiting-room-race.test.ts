// The waiting room on real Redis, entered from several nodes at once: the admission check and the insert
// are one Lua script, so N students racing for K places give exactly K admissions, and the line is one
// order for every node.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRedis, redisReady } from '../../src/redis';
import { WaitingRoomService } from '../../src/waiting-room/waiting-room.service';
import { RedisWaitingRoomStore } from '../../src/waiting-room/waiting-room.store';
import { REDIS_URL } from '../helpers/test-db';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the waiting room across nodes (Redis)', () => {
  // Three connections: three nodes sharing one Redis.
  const clients: Redis[] = [createRedis(REDIS_URL), createRedis(REDIS_URL), createRedis(REDIS_URL)];
  beforeAll(() => Promise.all(clients.map((c) => redisReady(c))));
  afterAll(() => Promise.all(clients.map((c) => c.quit())));

  /** A room of `activeMax` places seen from each node, on a key prefix of its own. */
  function nodes(activeMax: number, idleMs: number, queueTtlMs = 10_000) {
    const prefix = `test-wr-${randomUUID()}`;
    return clients.map(
      (c) => new WaitingRoomService(new RedisWaitingRoomStore(c, prefix), { activeMax, idleMs, queueTtlMs }),
    );
  }

  it('admits exactly K of N students entering at once through three nodes, and lines up the rest 1..N-K', async () => {
    const K = 7;
    const N = 60;
    const rooms = nodes(K, 30_000);
    const entries = await Promise.all(Array.from({ length: N }, (_, i) => rooms[i % 3]!.enter(i + 1)));
    expect(entries.filter((e) => e.admitted)).toHaveLength(K);
    const positions = entries.filter((e) => !e.admitted).map((e) => e.position);
    expect([...positions].sort((a, b) => a - b)).toEqual(Array.from({ length: N - K }, (_, i) => i + 1));
    expect(await rooms[1]!.counts()).toEqual({ active: K, queued: N - K });
  });

  it('lets in the first in line when admissions expire, whichever node they ask and in whatever order', async () => {
    const K = 3;
    const rooms = nodes(K, 400);
    for (let id = 1; id <= K; id++) expect((await rooms[0]!.enter(id)).admitted).toBe(true);
    const waiting = [] as { id: number; position: number }[];
    for (let id = K + 1; id <= K + 8; id++) waiting.push({ id, position: (await rooms[id % 3]!.enter(id)).position });
    expect(waiting.map((w) => w.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    await sleep(500); // the first three were idle past 400 ms
    const again = await Promise.all([...waiting].reverse().map((w) => rooms[w.id % 3]!.enter(w.id)));
    const admitted = [...waiting]
      .reverse()
      .filter((_, i) => again[i]!.admitted)
      .map((w) => w.position)
      .sort((a, b) => a - b);
    expect(admitted).toEqual([1, 2, 3]);
    // A newcomer queues behind everyone still waiting.
    expect(await rooms[2]!.enter(999)).toMatchObject({ admitted: false, position: 6 });
  });

  it('frees a place on any node when a student leaves (signs out) on another', async () => {
    const rooms = nodes(2, 30_000);
    await rooms[0]!.enter(1);
    await rooms[1]!.enter(2);
    expect(await rooms[2]!.enter(3)).toMatchObject({ admitted: false, position: 1 });
    expect(await rooms[0]!.enter(4)).toMatchObject({ admitted: false, position: 2 });
    await rooms[1]!.leave(1);
    expect(await rooms[2]!.enter(4)).toMatchObject({ admitted: false, position: 2 });
    expect((await rooms[0]!.enter(3)).admitted).toBe(true);
    expect(await rooms[1]!.counts()).toEqual({ active: 2, queued: 1 });
  });

  it('drops the places of students who stopped asking, so the line moves up', async () => {
    const rooms = nodes(1, 30_000, 300);
    await rooms[0]!.enter(1);
    await rooms[1]!.enter(2);
    await rooms[2]!.enter(3);
    await sleep(200);
    await rooms[2]!.enter(3);
    await sleep(200); // 2 is 400 ms silent (> 300), 3 only 200 ms
    expect(await rooms[0]!.enter(3)).toMatchObject({ admitted: false, position: 1 });
    expect(await rooms[0]!.counts()).toEqual({ active: 1, queued: 1 });
  });
});
