// Where the waiting room keeps who is active in course selection and who waits, in arrival order: Redis
// for a cluster (one Lua script per entry, so the admission check and insert never race between nodes),
// in process for the embedded default. Times are the store's own clock (Redis TIME), never a node's.
import type { Redis } from 'ioredis';

export interface RoomLimits {
  /** Students active in course selection at once. */
  activeMax: number;
  /** An admission ends after this long without a selection request (a sliding expiry). */
  idleMs: number;
  /** A place in line is dropped after this long without a heartbeat (the page refreshes well within it). */
  queueTtlMs: number;
}

export interface Entry {
  admitted: boolean;
  /** 1 for the first in line; 0 when admitted. */
  position: number;
  active: number;
  queued: number;
}

export interface WaitingRoomStore {
  /** Refreshes an admission, or admits when a place is free and nobody arrived earlier, or queues. */
  enter(member: string, limits: RoomLimits): Promise<Entry>;
  /** How many are active and waiting now (expired admissions and abandoned places left out). */
  counts(limits: RoomLimits): Promise<{ active: number; queued: number }>;
  /** Gives up an admission or a place in line at once (signing out), so the next in line may enter. */
  leave(member: string): Promise<void>;
}

// KEYS: active (score = expiry), queue (score = arrival number), seen (score = last heartbeat), and the
// arrival counter: a number per arrival, never a time, so two arrivals in one millisecond keep their order.
// ARGV: member ('' for counts only), activeMax, idleMs, queueTtlMs. Abandoned places are dropped a
// bounded number at a time, so one call never holds Redis for long.
const ENTER = `
local active, queue, seen, arrivals = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local member = ARGV[1]
local max, idle, ttl = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', active, '-inf', now)
local stale = redis.call('ZRANGEBYSCORE', seen, '-inf', now - ttl, 'LIMIT', 0, 1000)
if #stale > 0 then
  redis.call('ZREM', queue, unpack(stale))
  redis.call('ZREM', seen, unpack(stale))
end
local keep = math.max(idle, ttl) * 2
local function result(admitted, position)
  for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, keep) end
  return {admitted, position, redis.call('ZCARD', active), redis.call('ZCARD', queue)}
end
if member == '' then return result(0, 0) end
if redis.call('ZSCORE', active, member) then
  redis.call('ZADD', active, now + idle, member)
  return result(1, 0)
end
local free = max - redis.call('ZCARD', active)
if not redis.call('ZSCORE', queue, member) then
  redis.call('ZADD', queue, redis.call('INCR', arrivals), member)
end
redis.call('ZADD', seen, now, member)
local rank = redis.call('ZRANK', queue, member)
if rank < free then
  redis.call('ZREM', queue, member)
  redis.call('ZREM', seen, member)
  redis.call('ZADD', active, now + idle, member)
  return result(1, 0)
end
return result(0, rank + 1)
`;

export class RedisWaitingRoomStore implements WaitingRoomStore {
  private readonly keys: string[];

  constructor(
    private readonly redis: Redis,
    prefix = 'sis:wr',
  ) {
    this.keys = [`${prefix}:active`, `${prefix}:queue`, `${prefix}:seen`, `${prefix}:arrivals`];
  }

  async enter(member: string, limits: RoomLimits): Promise<Entry> {
    return this.run(member, limits);
  }

  async counts(limits: RoomLimits): Promise<{ active: number; queued: number }> {
    const { active, queued } = await this.run('', limits);
    return { active, queued };
  }

  async leave(member: string): Promise<void> {
    const [active, queue, seen] = this.keys;
    await this.redis.multi().zrem(active!, member).zrem(queue!, member).zrem(seen!, member).exec();
  }

  private async run(member: string, limits: RoomLimits): Promise<Entry> {
    const args = [member, limits.activeMax, limits.idleMs, limits.queueTtlMs].map(String);
    // EVAL each time: ioredis' defineCommand would be neater, but EVALSHA's cache miss after a Redis
    // restart is handled by ioredis for defined commands only; a plain eval needs no cache.
    const [admitted, position, active, queued] = (await this.redis.eval(
      ENTER,
      this.keys.length,
      ...this.keys,
      ...args,
    )) as number[];
    return { admitted: admitted === 1, position: position!, active: active!, queued: queued! };
  }
}

/** One node: the same rules in process (single-threaded, so each call is atomic as it stands). */
export class MemoryWaitingRoomStore implements WaitingRoomStore {
  private readonly active = new Map<string, number>();
  /** In arrival order (a Map keeps insertion order); the value is the last heartbeat. */
  private readonly queue = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async enter(member: string, limits: RoomLimits): Promise<Entry> {
    const now = this.now();
    this.sweep(now, limits);
    if (this.active.has(member)) {
      this.active.set(member, now + limits.idleMs);
      return this.entry(true, 0);
    }
    this.queue.set(member, now); // an existing key keeps its place in the order
    const free = limits.activeMax - this.active.size;
    const rank = [...this.queue.keys()].indexOf(member);
    if (rank < free) {
      this.queue.delete(member);
      this.active.set(member, now + limits.idleMs);
      return this.entry(true, 0);
    }
    return this.entry(false, rank + 1);
  }

  async counts(limits: RoomLimits): Promise<{ active: number; queued: number }> {
    this.sweep(this.now(), limits);
    return { active: this.active.size, queued: this.queue.size };
  }

  async leave(member: string): Promise<void> {
    this.active.delete(member);
    this.queue.delete(member);
  }

  private sweep(now: number, limits: RoomLimits): void {
    for (const [member, expires] of this.active) if (expires <= now) this.active.delete(member);
    for (const [member, seen] of this.queue) if (seen <= now - limits.queueTtlMs) this.queue.delete(member);
  }

  private entry(admitted: boolean, position: number): Entry {
    return { admitted, position, active: this.active.size, queued: this.queue.size };
  }
}
