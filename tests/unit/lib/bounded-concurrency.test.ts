import { BoundedConcurrency, QueueFullError } from '../../../src/lib/bounded-concurrency';

/** A task that finishes when told to, recording when it started. */
function gate(started: number[], id: number) {
  let open!: () => void;
  const done = new Promise<void>((resolve) => (open = resolve));
  return { task: () => (started.push(id), done.then(() => id)), open };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('bounded concurrency', () => {
  it('runs at most `limit` tasks at once and starts the waiting ones in arrival order', async () => {
    const q = new BoundedConcurrency(2, 10);
    const started: number[] = [];
    const gates = [1, 2, 3, 4].map((id) => gate(started, id));
    const results = gates.map((g) => q.run(g.task));
    await tick();
    expect(started).toEqual([1, 2]);
    expect([q.active, q.queued]).toEqual([2, 2]);
    gates[1]!.open();
    await tick();
    expect(started).toEqual([1, 2, 3]);
    gates[0]!.open();
    await tick();
    expect(started).toEqual([1, 2, 3, 4]);
    gates[2]!.open();
    gates[3]!.open();
    expect(await Promise.all(results)).toEqual([1, 2, 3, 4]);
    expect([q.active, q.queued]).toEqual([0, 0]);
  });

  it('refuses at once when the queue is full, and frees the place of a task that failed', async () => {
    const q = new BoundedConcurrency(1, 1);
    const started: number[] = [];
    const first = gate(started, 1);
    const running = q.run(first.task);
    const waiting = q.run(async () => 2);
    await expect(q.run(async () => 3)).rejects.toBeInstanceOf(QueueFullError);
    first.open();
    expect(await running).toBe(1);
    expect(await waiting).toBe(2);
    await expect(q.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await q.run(async () => 4)).toBe(4);
    expect(q.active).toBe(0);
  });
});
