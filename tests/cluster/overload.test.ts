// Overload shifts to healthy nodes, proven against real nginx, three node processes, MariaDB and Redis:
// a node frozen (SIGSTOP) or slowed (SIGSTOP/SIGCONT cycles) under mixed load costs no request and no
// write, and stays fast; a cluster saturated beyond its capacity answers every request, at worst with a
// fast, clear 503. Each test prints its figures.
import { httpRequest } from '../../scripts/cluster/http';
import { Client, describeReport, type LoadReport, runLoad } from './support/load';
import { privateCluster } from './support/private-cluster';

const CLIENTS = 32;
const SATURATING_CLIENTS = 300;
const STALL_MS = 12_000;

// The goals (issue 9) while one node is frozen or slowed.
const P99_GOAL_MS = 1_500;
const MAX_GOAL_MS = 3_000;
// Saturated, nothing hangs: nginx gives up after 2 s (two tries of its 1 s read timeout) and answers its
// own 503; the rest of this bound is the box's two cores queueing 300 connections, test client included.
const SATURATED_MAX_MS = 4_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('overload through nginx', () => {
  const fx = privateCluster({
    name: 'overload',
    ports: { nginx: 18383, app: 3500, redis: 16393, mariadb: 13393 },
    clients: CLIENTS,
    nodeEnv: { LOG_LEVEL: 'warn' },
  });

  // Every case starts with all three nodes in nginx's rotation again (a failed node is left out for 5 s).
  beforeEach(async () => {
    for (const n of [1, 2, 3]) await fx.cluster.waitUntilServing(n);
  }, 30_000);

  /** Requests each node has shed so far (its own /metrics, read directly on loopback), by reason. */
  async function shedByNode(): Promise<string> {
    const parts = await Promise.all(
      fx.cluster.nodes.map(async (node) => {
        const text = (await httpRequest(`${node.url}/metrics`)).text;
        const counts = [...text.matchAll(/^http_requests_shed_total\{([^}]*)\} (\d+)/gm)].map(
          ([, labels, n]) => `${/reason="(\w+)"/.exec(labels!)?.[1]}=${n}`,
        );
        return `${node.id} ${counts.join(',') || 0}`;
      }),
    );
    return `shed by the nodes so far: ${parts.join('; ')}`;
  }

  /** Signals node n for `ms`: frozen throughout, or in stopped/running cycles. Always leaves it running. */
  async function stall(n: number, ms: number, cycle?: { stoppedMs: number; runningMs: number }): Promise<number> {
    const pid = fx.cluster.pidOf(n);
    if (pid === undefined) throw new Error(`node-${n} is not running`);
    const ends = Date.now() + ms;
    let stops = 0;
    try {
      if (!cycle) {
        process.kill(pid, 'SIGSTOP');
        stops++;
        await sleep(ms);
      } else {
        while (Date.now() < ends) {
          process.kill(pid, 'SIGSTOP');
          stops++;
          await sleep(cycle.stoppedMs);
          process.kill(pid, 'SIGCONT');
          await sleep(cycle.runningMs);
        }
      }
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    return stops;
  }

  function expectStallGoals(report: LoadReport): void {
    expect(report.failures).toEqual([]);
    expect(report.p99Ms).toBeLessThan(P99_GOAL_MS);
    expect(report.maxMs).toBeLessThan(MAX_GOAL_MS);
    expect(report.acknowledged.length).toBeGreaterThan(50);
  }

  it('answers everything, fast, while one node is frozen with SIGSTOP for 12 s', async () => {
    const tag = 'FRZ';
    const load = runLoad({ clients: fx.clients, durationMs: STALL_MS + 7_000, tag });
    await sleep(3_000);
    await stall(2, STALL_MS);
    const report = await load;
    // The woken node may still be finishing what nginx gave up on: let it, before counting rows.
    await sleep(2_000);
    console.log(describeReport(`node-2 frozen ${STALL_MS / 1000} s`, report), `\n${await shedByNode()}`);
    expectStallGoals(report);
    await fx.expectWritesExactlyOnce(tag, report);
  }, 60_000);

  it('answers everything, fast, while one node runs 20 ms in every 220 ms for 12 s', async () => {
    const tag = 'SLW';
    const load = runLoad({ clients: fx.clients, durationMs: STALL_MS + 7_000, tag });
    await sleep(3_000);
    const stops = await stall(3, STALL_MS, { stoppedMs: 200, runningMs: 20 });
    const report = await load;
    await sleep(2_000);
    console.log(
      describeReport(`node-3 slowed (${stops} stops of 200 ms, 20 ms running between)`, report),
      `\n${await shedByNode()}`,
    );
    expectStallGoals(report);
    await fx.expectWritesExactlyOnce(tag, report);
  }, 60_000);

  it(`gives every one of ${SATURATING_CLIENTS} connections its answer or a fast, clear 503 when all nodes are saturated`, async () => {
    const tag = 'SAT';
    // More connections of the same signed-in browsers: no extra argon2id sign-ins to pay for.
    const many = Array.from({ length: SATURATING_CLIENTS }, (_, i) => Client.sharing(fx.clients[i % CLIENTS]!));
    try {
      // After a 503 a connection waits 200 ms, as a person or a page that retries by itself would, so that
      // the box's two cores go to the nodes rather than to thousands of 503s a second; demand stays far
      // above what the nodes can serve.
      const report = await runLoad({
        clients: many,
        durationMs: 10_000,
        tag,
        allowShed: true,
        shedPauseMs: 200,
        writeShare: 0.2,
      });
      await sleep(2_000);
      const shed = Object.values(report.shed).reduce((a, b) => a + b, 0);
      console.log(describeReport(`${SATURATING_CLIENTS} connections`, report), `\n${await shedByNode()}`);
      // Every request was answered (a hang would be a timed-out failure), with what it asked for or a
      // 503 that says why and when to come back: a node's `overloaded`, or nginx's own when every node shed.
      expect(report.failures).toEqual([]);
      expect(Object.keys(report.shed).filter((code) => !['overloaded', 'service_unavailable'].includes(code))).toEqual(
        [],
      );
      expect(shed).toBeGreaterThan(0);
      expect(report.requests - shed).toBeGreaterThan(100);
      // Nothing hangs.
      expect(report.maxMs).toBeLessThan(SATURATED_MAX_MS);
      // A write is at most once: acknowledged ones exactly once; one that was answered 503 after it
      // committed (nginx gave up on a slow node) is there once too, and its client's retry would replay it.
      const counts = await fx.rowsByStudentNo(tag);
      expect(report.acknowledged.filter((no) => counts.get(no) !== 1)).toEqual([]);
      expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
      console.log(`saturation: ${counts.size - report.acknowledged.length} rows written whose answer was a 503`);
    } finally {
      for (const client of many) client.close();
    }
  }, 60_000);
});
