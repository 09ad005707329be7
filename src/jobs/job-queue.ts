// Background jobs: work that may take longer than a page should wait (an import of 100,000 rows). In a
// cluster they go through BullMQ on the cluster's Redis: every node runs a worker, a job is taken by one,
// and when the node holding it dies its lock lapses and another node takes it over (BullMQ's stalled-job
// check). On the embedded default (no Redis) the same jobs run in this process, one at a time.
//
// A job carries only the id of its row (the row holds the state); its handler must be safe to run again
// for the same id (a job taken over after a crash starts from the beginning).
import { Queue, Worker } from 'bullmq';
import type { Logger } from 'pino';

export type JobHandler = (id: number) => Promise<void>;

export interface JobQueue {
  /** Starts working the jobs of `name` on this node with `handler`. */
  process(name: string, handler: JobHandler): void;
  /** Queues the job of row `id` (once: a second add of the same id is ignored while the first is known). */
  add(name: string, id: number): Promise<void>;
  close(): Promise<void>;
}

/** The embedded default: one job at a time, in this process, in the order added. */
export class InProcessJobQueue implements JobQueue {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly pending: Array<{ name: string; id: number }> = [];
  private readonly known = new Set<string>();
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly logger?: Logger) {}

  process(name: string, handler: JobHandler): void {
    this.handlers.set(name, handler);
    this.kick();
  }

  add(name: string, id: number): Promise<void> {
    const key = `${name}:${id}`;
    if (!this.known.has(key) && !this.closed) {
      this.known.add(key);
      this.pending.push({ name, id });
      this.kick();
    }
    return Promise.resolve();
  }

  /** Resolves when every job added so far has run (tests and shutdown wait on it). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }

  private kick(): void {
    if (this.running) return;
    const next = this.pending.findIndex((job) => this.handlers.has(job.name));
    if (next < 0) return;
    const [job] = this.pending.splice(next, 1);
    this.running = (async () => {
      // Let the request that added the job answer first.
      await new Promise((resolve) => setImmediate(resolve));
      try {
        await this.handlers.get(job!.name)!(job!.id);
      } catch (err) {
        this.logger?.error({ err, job: job!.name, id: job!.id }, 'background job failed');
      } finally {
        this.known.delete(`${job!.name}:${job!.id}`);
        this.running = null;
        this.kick();
      }
    })();
  }
}

export interface BullJobQueueOptions {
  /** Redis URL of the cluster (BullMQ opens its own connections: a worker blocks on its own). */
  redisUrl: string;
  /** Prefix of the keys, so that tests and deployments sharing a Redis keep apart. */
  prefix?: string;
  /**
   * How long a worker's hold on a job lasts without renewal (it renews every half of it while alive): a
   * killed node's job is taken over after about this long.
   */
  lockMs?: number;
  logger?: Logger;
}

/** The cluster: BullMQ queues on the shared Redis, a worker on every node. */
export class BullJobQueue implements JobQueue {
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];

  constructor(private readonly options: BullJobQueueOptions) {}

  private connection() {
    // Workers need maxRetriesPerRequest: null (a blocking read must not give up); BullMQ's own parsing of the URL.
    const url = new URL(this.options.redisUrl);
    return {
      host: url.hostname,
      port: Number(url.port || 6379),
      username: url.username ? decodeURIComponent(url.username) : undefined,
      password: url.password ? decodeURIComponent(url.password) : undefined,
      db: url.pathname && url.pathname !== '/' ? Number(url.pathname.slice(1)) : undefined,
      maxRetriesPerRequest: null,
    };
  }

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection(), prefix: this.options.prefix ?? 'sis-jobs' });
      queue.on('error', (err) => this.options.logger?.warn({ err: err.message, queue: name }, 'job queue error'));
      this.queues.set(name, queue);
    }
    return queue;
  }

  process(name: string, handler: JobHandler): void {
    const lockDuration = this.options.lockMs ?? 30_000;
    const worker = new Worker(name, async (job) => handler(Number((job.data as { id: number }).id)), {
      connection: this.connection(),
      prefix: this.options.prefix ?? 'sis-jobs',
      concurrency: 1,
      lockDuration,
      stalledInterval: Math.max(1_000, Math.floor(lockDuration / 2)),
      // A job whose node died twice in a row is failed rather than tried for ever (its row says so).
      maxStalledCount: 2,
    });
    worker.on('error', (err) => this.options.logger?.warn({ err: err.message, queue: name }, 'job worker error'));
    worker.on('failed', (job, err) =>
      this.options.logger?.error({ err, queue: name, id: job?.data?.id }, 'background job failed'),
    );
    this.workers.push(worker);
  }

  async add(name: string, id: number): Promise<void> {
    // The job id is the row's: adding it twice (a retried request) queues it once.
    await this.queue(name).add(
      name,
      { id },
      {
        jobId: `${name}-${id}`,
        attempts: 3,
        backoff: { type: 'exponential', delay: 1_000 },
        removeOnComplete: 1_000,
        removeOnFail: 1_000,
      },
    );
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.close()));
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
  }

  /** Stops at once, its jobs left unfinished and their locks unrenewed: what a node's death looks like. */
  async closeForcefully(): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.close(true)));
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
  }
}
