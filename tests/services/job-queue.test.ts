// The cluster's job queue on the real Redis (BullMQ): two "nodes" (two queues, each with its worker) share
// the work, a job added twice runs once, and a job whose node dies mid-run is taken over by the other
// node once the dead node's lock lapses.
import { randomUUID } from 'node:crypto';
import { BullJobQueue } from '../../src/jobs/job-queue';
import { REDIS_URL } from '../helpers/test-db';

jest.setTimeout(60_000);

const LOCK_MS = 1_500;

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the BullMQ job queue', () => {
  const opened: BullJobQueue[] = [];
  const node = (prefix: string) => {
    const queue = new BullJobQueue({ redisUrl: REDIS_URL, prefix, lockMs: LOCK_MS });
    opened.push(queue);
    return queue;
  };
  afterAll(async () => {
    await Promise.allSettled(opened.map((q) => q.close()));
  });

  it('runs each job once on one of the nodes, a duplicate add included', async () => {
    const prefix = `test-jobs-${randomUUID()}`;
    const ran: Array<[string, number]> = [];
    const a = node(prefix);
    const b = node(prefix);
    a.process('imports', async (id) => {
      ran.push(['a', id]);
    });
    b.process('imports', async (id) => {
      ran.push(['b', id]);
    });
    for (let id = 1; id <= 10; id++) await (id % 2 ? a : b).add('imports', id);
    await a.add('imports', 3); // the same job again (a retried request): still once
    await until(() => ran.length >= 10);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ran.map(([, id]) => id).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('hands the job of a node that died mid-run to another node', async () => {
    const prefix = `test-jobs-${randomUUID()}`;
    const started: string[] = [];
    const finished: string[] = [];
    const doomed = node(prefix);
    doomed.process('imports', async () => {
      started.push('doomed');
      // Never finishes here: the node "dies" below, its lock is never renewed again.
      await new Promise(() => undefined);
    });
    await doomed.add('imports', 42);
    await until(() => started.includes('doomed'));
    // The node goes away without finishing or releasing the job (force: no waiting for it).
    await doomed.closeForcefully();

    const survivor = node(prefix);
    survivor.process('imports', async (id) => {
      started.push('survivor');
      finished.push(`survivor:${id}`);
    });
    await until(() => finished.length > 0, 30_000);
    expect(finished).toEqual(['survivor:42']);
    expect(started).toEqual(['doomed', 'survivor']);
  });
});
