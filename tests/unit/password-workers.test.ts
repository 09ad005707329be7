// argon2id on worker threads of lower priority: the hashes are standard PHC strings, threads are bounded
// and niced, a bad hash fails only its own task, and idle threads end.
import fs from 'node:fs';
import os from 'node:os';
import { PasswordWorkers } from '../../src/auth/password-workers';

const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };
// Written by the `argon2` package (node-argon2) that this app used before: it must still verify.
const NODE_ARGON2_HASH =
  '$argon2id$v=19$m=19456,p=1,t=2$Cw+Qux/jQa76IclSNI1hRw$AKabKLX69aOCF6IZC1e5zQbHHoZct10vq+ALqTi0f9A';

/** The nice value of each thread of this process (Linux: /proc/self/task/<tid>/stat, field 19). */
function threadNiceValues(): number[] {
  return fs.readdirSync('/proc/self/task').map((tid) => {
    const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

// Niced threads get little CPU while other test files run beside this one: generous time per test.
jest.setTimeout(60_000);

describe('password workers', () => {
  const workers = new PasswordWorkers(2, 10, 60_000);
  afterAll(() => workers.close());

  it('hashes argon2id with the given cost and verifies only the right password', async () => {
    const hash = await workers.hash('correct horse', OPTIONS);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await expect(workers.verify(hash, 'correct horse')).resolves.toBe(true);
    await expect(workers.verify(hash, 'correct horsf')).resolves.toBe(false);
  });

  it('verifies hashes written by the argon2 package', async () => {
    await expect(workers.verify(NODE_ARGON2_HASH, 'pw')).resolves.toBe(true);
    await expect(workers.verify(NODE_ARGON2_HASH, 'px')).resolves.toBe(false);
  });

  it('answers many at once on at most its threads, each of them at the raised nice value', async () => {
    const hash = await workers.hash('pw', OPTIONS);
    const base = os.getPriority();
    const lowered = Math.min(19, base + 10);
    const running = Promise.all(Array.from({ length: 8 }, (_, i) => workers.verify(hash, i % 2 ? 'pw' : 'no')));
    expect(workers.threadCount).toBe(2);
    expect(await running).toEqual([false, true, false, true, false, true, false, true]);
    expect(workers.threadCount).toBe(2);
    // Other test files' threads may share this process: at least this pool's two are lowered.
    expect(threadNiceValues().filter((n) => n === lowered).length).toBeGreaterThanOrEqual(2);
    // The main thread keeps its own priority.
    expect(threadNiceValues()[0]).toBe(base);
  });

  it('refuses a malformed hash as an error of that task only', async () => {
    await expect(workers.verify('not a hash', 'pw')).rejects.toThrow();
    await expect(workers.verify(NODE_ARGON2_HASH, 'pw')).resolves.toBe(true);
  });

  it('lets idle threads end and starts new ones for later work', async () => {
    const quick = new PasswordWorkers(1, 0, 50);
    const hash = await quick.hash('pw', OPTIONS);
    await new Promise((r) => setTimeout(r, 300));
    await expect(quick.verify(hash, 'pw')).resolves.toBe(true);
    await quick.close();
  });
});
