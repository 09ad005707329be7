// The promise, proven against real nginx, three real node processes, MariaDB and Redis: a node killed or
// restarted under load costs no request and no write; Redis or the database going away gives clear 503s
// and the cluster comes back by itself. Each test prints its figures.
import { type Client, describeReport, runLoad } from './support/load';
import { privateCluster } from './support/private-cluster';

const CLIENTS = 32;
const LOAD_MS = 20_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('failover through nginx', () => {
  const fx = privateCluster({
    name: 'failover',
    ports: { nginx: 18181, app: 3300, redis: 16391, mariadb: 13391 },
    clients: CLIENTS,
  });

  it('loses nothing when a node is killed with SIGKILL under load', async () => {
    const tag = 'KILL';
    const load = runLoad({ clients: fx.clients, durationMs: LOAD_MS, tag });
    await sleep(6_000);
    const killedAt = Date.now();
    await fx.cluster.stopNode(2, 'SIGKILL');
    await sleep(6_000);
    await fx.cluster.startNode(2);
    const report = await load;
    console.log(describeReport('kill -9 node-2', report), `; node-2 back after ${Date.now() - killedAt} ms`);
    expect(report.failures).toEqual([]);
    expect(report.acknowledged.length).toBeGreaterThan(50);
    await fx.expectWritesExactlyOnce(tag, report);
  });

  it('loses nothing during a rolling restart of all three nodes (SIGTERM, wait ready, next)', async () => {
    const tag = 'ROLL';
    const load = runLoad({ clients: fx.clients, durationMs: LOAD_MS, tag });
    await sleep(2_000);
    const timings: string[] = [];
    for (const n of [1, 2, 3]) {
      const t0 = Date.now();
      await fx.cluster.stopNode(n, 'SIGTERM');
      const stopped = Date.now() - t0;
      await fx.cluster.startNode(n);
      timings.push(`node-${n} drained in ${stopped} ms, ready again after ${Date.now() - t0} ms`);
    }
    const report = await load;
    console.log(describeReport('rolling restart', report), `; ${timings.join('; ')}`);
    expect(report.failures).toEqual([]);
    await fx.expectWritesExactlyOnce(tag, report);
  });

  it('answers clear 503s while Redis is down, recovers by itself, and sessions survive the restart', async () => {
    const client = fx.clients[0]!;
    expect((await client.get('/students')).status).toBe(200);
    const outage = await measureOutage(
      client,
      () => fx.redis.stop(),
      () => fx.redis.start(),
    );
    console.log(`Redis down 5 s: ${outage.summary}`);
    expectClear503s(outage);
    // The same cookie still opens the page: the session came back from Redis's append-only file.
    expect((await client.get('/students')).status).toBe(200);
    for (const n of [1, 2, 3]) expect(fx.cluster.pidOf(n)).toBeDefined();
  });

  it('answers clear 503s while the database is down and recovers without restarting any node', async () => {
    const client = fx.clients[1]!;
    const pids = [1, 2, 3].map((n) => fx.cluster.pidOf(n));
    expect((await client.get('/students')).status).toBe(200);
    await fx.closeDb();
    const outage = await measureOutage(
      client,
      () => fx.mariadb.stop(),
      () => fx.mariadb.start(),
    );
    console.log(`database down 5 s: ${outage.summary}`);
    expectClear503s(outage);
    expect([1, 2, 3].map((n) => fx.cluster.pidOf(n))).toEqual(pids);
  });
});

interface Outage {
  during: { status: number; ms: number; code?: string }[];
  summary: string;
}

/** Stops a dependency for 5 s while one client keeps asking, starts it again and waits for service. */
async function measureOutage(client: Client, stop: () => Promise<void>, start: () => Promise<void>): Promise<Outage> {
  await stop();
  const during: Outage['during'] = [];
  const outageEnds = Date.now() + 5_000;
  while (Date.now() < outageEnds) {
    const t0 = Date.now();
    const reply = await client.get('/students');
    during.push({ status: reply.status, ms: Date.now() - t0, code: errorCode(reply.text) });
    await sleep(250);
  }
  await start();
  const recovery = await waitForRecovery(client);
  const statuses = [...new Set(during.map((d) => d.status))].join(',');
  const slowest = Math.max(...during.map((d) => d.ms));
  return {
    during,
    summary: `${during.length} requests, statuses ${statuses}, slowest ${slowest} ms; back after ${recovery} ms`,
  };
}

function expectClear503s({ during }: Outage): void {
  expect([...new Set(during.map((d) => d.status))]).toEqual([503]);
  expect([...new Set(during.map((d) => d.code))]).toEqual(['service_unavailable']);
  expect(Math.max(...during.map((d) => d.ms))).toBeLessThan(2_500);
}

function errorCode(text: string): string | undefined {
  try {
    return (JSON.parse(text) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}

/** Polls until the page answers 200 again; returns how long that took. */
async function waitForRecovery(client: Client, timeoutMs = 30_000): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    const reply = await client.get('/students').catch(() => undefined);
    if (reply?.status === 200) return Date.now() - t0;
    if (Date.now() - t0 > timeoutMs) throw new Error(`not back within ${timeoutMs} ms (last: ${reply?.status})`);
    await sleep(200);
  }
}
