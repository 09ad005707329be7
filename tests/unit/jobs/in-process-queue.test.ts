// The embedded default's job queue: jobs run in this process one at a time, in the order added, each id
// once while it is known, and a failing job neither stops the queue nor escapes it.
import pino from 'pino';
import { InProcessJobQueue } from '../../../src/jobs/job-queue';

describe('the in-process job queue', () => {
  it('runs the jobs one at a time in the order added, after the request that added them', async () => {
    const queue = new InProcessJobQueue();
    const ran: string[] = [];
    let running = 0;
    let most = 0;
    queue.process('imports', async (id) => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      ran.push(`imports:${id}`);
      running--;
    });
    await queue.add('imports', 1);
    await queue.add('imports', 2);
    await queue.add('imports', 3);
    // Nothing ran within the adding request itself.
    expect(ran).toEqual([]);
    await queue.idle();
    expect(ran).toEqual(['imports:1', 'imports:2', 'imports:3']);
    expect(most).toBe(1);
  });

  it('runs an id once while it waits, and again when added after it ran', async () => {
    const queue = new InProcessJobQueue();
    const ran: number[] = [];
    queue.process('imports', async (id) => {
      ran.push(id);
    });
    await queue.add('imports', 7);
    await queue.add('imports', 7);
    await queue.idle();
    await queue.add('imports', 7);
    await queue.idle();
    expect(ran).toEqual([7, 7]);
  });

  it('keeps jobs added before their handler, and runs them once it is there', async () => {
    const queue = new InProcessJobQueue();
    const ran: number[] = [];
    await queue.add('imports', 4);
    await queue.idle();
    expect(ran).toEqual([]);
    queue.process('imports', async (id) => {
      ran.push(id);
    });
    await queue.idle();
    expect(ran).toEqual([4]);
  });

  it('logs a failed job and goes on with the next', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => lines.push(line) });
    const queue = new InProcessJobQueue(logger);
    const ran: number[] = [];
    queue.process('imports', async (id) => {
      if (id === 1) throw new Error('disk on fire');
      ran.push(id);
    });
    await queue.add('imports', 1);
    await queue.add('imports', 2);
    await queue.idle();
    expect(ran).toEqual([2]);
    expect(lines.map((l) => JSON.parse(l) as { msg: string; id: number })).toEqual([
      expect.objectContaining({ msg: 'background job failed', id: 1 }),
    ]);
  });

  it('takes no job once closed, after finishing the one it runs', async () => {
    const queue = new InProcessJobQueue();
    const ran: number[] = [];
    queue.process('imports', async (id) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      ran.push(id);
    });
    await queue.add('imports', 1);
    const closed = queue.close();
    await queue.add('imports', 2);
    await closed;
    await queue.idle();
    expect(ran).toEqual([1]);
  });
});
