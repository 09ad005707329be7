// An import survives the node running it: a commit of many students is uploaded through nginx, the node
// that took the job is killed with SIGKILL while it runs, and another node takes the job over (BullMQ on
// the cluster's Redis, once the dead node's lock lapses) and imports the file: every student exactly once,
// one import entry in the audit log, the job's row saying which node finished it.
import { randomUUID } from 'node:crypto';
import { privateCluster } from './support/private-cluster';

jest.setTimeout(240_000);

const ROWS = 40_000;
const PREFIX = '2099';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('an import whose node dies', () => {
  const fx = privateCluster({
    name: 'import-failover',
    ports: { nginx: 18484, app: 3600, redis: 16394, mariadb: 13394 },
    clients: 1,
    // A dead node's job moves on after 4 s instead of 30.
    nodeEnv: { JOB_LOCK_MS: '4000' },
  });

  it('is finished by another node, every row written exactly once', async () => {
    const lines = ['学号,姓名,性别,入学年份'];
    for (let i = 1; i <= ROWS; i++)
      lines.push(`${PREFIX}${String(i).padStart(6, '0')},导入${i},${i % 2 ? '男' : '女'},2025`);
    const content = Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');

    const client = fx.clients[0]!;
    const upload = await client.postFile(
      '/imports',
      { kind: 'students', mode: 'commit' },
      { name: 'students.csv', type: 'text/csv', content },
      randomUUID(),
    );
    expect(upload.status).toBe(202);
    const id = (JSON.parse(upload.text) as { data: { id: number } }).data.id;

    // As soon as a node has taken the job, kill that node.
    let runner: string | null = null;
    for (let i = 0; i < 600 && !runner; i++) {
      const job = await fx.db('import_jobs').where({ id }).first('status', 'node_id');
      if (job.status === 'running') runner = job.node_id as string;
      else if (job.status !== 'queued') throw new Error(`the job ended before its node could be killed: ${job.status}`);
      else await sleep(50);
    }
    expect(runner).toMatch(/^node-[123]$/);
    const n = Number(runner!.slice('node-'.length));
    const killedAt = Date.now();
    await fx.cluster.stopNode(n, 'SIGKILL');

    let job: Record<string, unknown> = {};
    for (let i = 0; i < 900; i++) {
      job = await fx.db('import_jobs').where({ id }).first();
      if (job.status === 'succeeded' || job.status === 'failed') break;
      await sleep(200);
    }
    console.log(
      `import of ${ROWS} rows: ${runner} killed while running it; ${String(job.node_id)} finished it ` +
        `${Date.now() - killedAt} ms later, after ${String(job.attempts)} attempts`,
    );
    expect(job).toMatchObject({ status: 'succeeded', count_created: ROWS, count_updated: 0 });
    expect(job.node_id).not.toBe(runner);
    expect(Number(job.attempts)).toBeGreaterThanOrEqual(2);

    const rows = await fx.rowsByStudentNo(PREFIX);
    expect(rows.size).toBe(ROWS);
    expect([...rows.values()].filter((count) => count !== 1)).toEqual([]);
    const entries = await fx.db('audit_log').where({ action: 'import' }).count({ n: '*' });
    expect(Number(entries[0]!.n)).toBe(1);
    // The job's file is gone with the job.
    const chunks = await fx.db('import_job_chunks').where({ job_id: id }).count({ n: '*' });
    expect(Number(chunks[0]!.n)).toBe(0);

    await fx.cluster.startNode(n);
  });
});
