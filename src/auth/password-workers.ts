// argon2id on worker threads of lower CPU priority. A sign-in storm is tens of seconds of both cores of
// argon2id; on the thread pool of libuv it competes on equal terms with the event loop that answers every
// page, and pages slow down by as much. Here each verification runs on a worker thread of its own whose
// nice value is raised (PASSWORD_HASH_NICE; on Linux the nice value is per thread), so the kernel gives
// page requests the CPU first and sign-ins the rest. Workers start when needed and end when idle.
import os from 'node:os';
import { Worker } from 'node:worker_threads';

export interface HashOptions {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

type Job = { op: 'hash'; plain: string; options: HashOptions } | { op: 'verify'; hash: string; plain: string };

interface Pending {
  job: Job;
  resolve: (value: string | boolean) => void;
  reject: (err: Error) => void;
}

// Plain CommonJS, run with `eval`: the same code under ts-jest and from dist/, no file to resolve.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const os = require('node:os');
const argon2 = require(workerData.module);
if (workerData.nice > 0) {
  try { os.setPriority(0, workerData.nice); } catch { /* not permitted here: normal priority */ }
}
parentPort.on('message', (job) => {
  try {
    const value = job.op === 'hash'
      ? argon2.hashSync(job.plain, { algorithm: 2, ...job.options })
      : argon2.verifySync(job.hash, job.plain);
    parentPort.postMessage({ ok: true, value });
  } catch (err) {
    parentPort.postMessage({ ok: false, message: String((err && err.message) || err) });
  }
});
`;

interface Slot {
  worker: Worker;
  current?: Pending;
  idleTimer?: NodeJS.Timeout;
}

export class PasswordWorkers {
  private readonly slots = new Set<Slot>();
  private readonly waiting: Pending[] = [];
  private readonly module = require.resolve('@node-rs/argon2');

  constructor(
    /** Threads at most (the sign-in semaphore's width; other callers queue here). */
    private readonly threads: number,
    /** Added nice value of each thread (0: normal priority). Applied on Linux only, where it is per thread. */
    private readonly nice: number,
    private readonly idleMs = 10_000,
  ) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError('threads must be a positive integer');
  }

  /** Threads alive now (busy or idle). */
  get threadCount(): number {
    return this.slots.size;
  }

  hash(plain: string, options: HashOptions): Promise<string> {
    return this.submit({ op: 'hash', plain, options }) as Promise<string>;
  }

  verify(hash: string, plain: string): Promise<boolean> {
    return this.submit({ op: 'verify', hash, plain }) as Promise<boolean>;
  }

  /** Ends every thread (tests, shutdown); work submitted later starts new ones. */
  async close(): Promise<void> {
    const slots = [...this.slots];
    this.slots.clear();
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private submit(job: Job): Promise<string | boolean> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      let slot = [...this.slots].find((s) => !s.current);
      if (!slot) {
        if (this.slots.size >= this.threads) return;
        slot = this.spawn();
      }
      const pending = this.waiting.shift()!;
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      slot.idleTimer = undefined;
      slot.current = pending;
      slot.worker.ref();
      slot.worker.postMessage(pending.job);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module: this.module, nice: process.platform === 'linux' ? this.nice : 0 },
    });
    const slot: Slot = { worker };
    this.slots.add(slot);
    worker.on('message', (reply: { ok: boolean; value?: string | boolean; message?: string }) => {
      const pending = slot.current;
      slot.current = undefined;
      this.idle(slot);
      if (pending) {
        if (reply.ok) pending.resolve(reply.value as string | boolean);
        else pending.reject(new Error(reply.message));
      }
      this.dispatch();
    });
    const gone = (err: Error) => {
      if (!this.slots.delete(slot)) return;
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      slot.current?.reject(err);
      slot.current = undefined;
      this.dispatch();
    };
    worker.on('error', gone);
    worker.on('exit', (code) => gone(new Error(`password worker exited (${code})`)));
    return slot;
  }

  /** An idle thread keeps no process alive and ends after idleMs. */
  private idle(slot: Slot): void {
    slot.worker.unref();
    slot.idleTimer = setTimeout(() => {
      if (slot.current || !this.slots.delete(slot)) return;
      void slot.worker.terminate();
    }, this.idleMs);
    slot.idleTimer.unref();
  }
}

/** The nice value added to the hashing threads unless configured (PASSWORD_HASH_NICE). */
export const DEFAULT_HASH_NICE = 10;

export const defaultHashThreads = (): number => os.availableParallelism();
