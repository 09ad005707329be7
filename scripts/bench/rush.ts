// The course-selection rush (选课): thousands of distinct students sign in through nginx from one client
// address, load the sections page, refresh it and try three or four sections each, BENCH_RUSH_CONCURRENCY
// at a time, while a few staff clients keep loading the student list. Bounded in time. Afterwards the
// database is asked whether any section is overbooked and whether each wait list is in commit order.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import { BrowserClient, RequestFailure, type Reply, signIn } from './client';
import type { RushKnobs } from './knobs';
import {
  checkSeats,
  checkWaitLists,
  missingSeats,
  type PlaceRow,
  type Placement,
  type SectionSeats,
  type ToldPosition,
  type WaitListCheck,
} from './rush-checks';
import type { RushPlan, RushStudent } from './rush-seed';

type Kind = 'signIn' | 'page' | 'select' | 'staff';

interface Tally {
  /** Latencies of the answers that did what was asked (sign-in 302, page 200, selection 201 or a wait-list 409). */
  okMs: number[];
  ok: number;
  byStatus: Record<string, number>;
  timeouts: number;
  socketErrors: number;
  waitingRoom: number;
}

const newTally = (): Tally => ({ okMs: [], ok: 0, byStatus: {}, timeouts: 0, socketErrors: 0, waitingRoom: 0 });

export interface KindReport {
  ok: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  byStatus: Record<string, number>;
  timeouts: number;
  socketErrors: number;
  /** 503 waiting_room answers among byStatus: the designed answer to a full room, not an error. */
  waitingRoom: number;
}

export interface RushReport {
  students: number;
  concurrency: number;
  /** The waiting room's bound on the nodes (SELECTION_ACTIVE_MAX; 0: none). */
  activeMax: number;
  seconds: number;
  sections: number;
  hotSections: number;
  journeys: { finished: number; lockedOut: number; gaveUp: number; unfinished: number; notStarted: number };
  signIn: KindReport;
  page: KindReport;
  select: KindReport;
  staff: KindReport;
  outcomes: { enrolled: number; waitlisted: number; refused: Record<string, number> };
  errors: {
    status5xx: number;
    timeouts: number;
    socketErrors: number;
    status429: number;
    status503WaitingRoom: number;
    status503Other: number;
  };
  waitingRoom: { waits: number; students: number; totalWaitSeconds: number };
  seats: { overbookedSeats: number; overbookedSections: number; counterMismatches: number };
  waitLists: WaitListCheck;
  acknowledgedMissing: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!) : 0;
}

const isWaitingRoom = (reply: Reply) => {
  if (reply.status !== 503) return false;
  try {
    return (JSON.parse(reply.text) as { error?: { code?: string } }).error?.code === 'waiting_room';
  } catch {
    return /waiting[-_ ]room/i.test(reply.text);
  }
};

const errorCode = (reply: Reply): string => {
  try {
    return (JSON.parse(reply.text) as { error?: { code?: string } }).error?.code ?? String(reply.status);
  } catch {
    return String(reply.status);
  }
};

const retryAfterMs = (reply: Reply, cap: number) => {
  const seconds = Number(reply.headers['retry-after']);
  return Math.min(cap, Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000);
};

export async function runRush(opts: {
  base: string;
  db: Knex;
  plan: RushPlan;
  knobs: RushKnobs;
  staffPassword: string;
  log: (line: string) => void;
}): Promise<RushReport> {
  const { base, plan, knobs } = opts;
  const tallies: Record<Kind, Tally> = { signIn: newTally(), page: newTally(), select: newTally(), staff: newTally() };
  const journeys = { finished: 0, lockedOut: 0, gaveUp: 0, unfinished: 0, notStarted: 0 };
  const outcomes = { enrolled: 0, waitlisted: 0, refused: {} as Record<string, number> };
  const waiting = { waits: 0, students: new Set<string>(), totalWaitMs: 0 };
  const acknowledged: Placement[] = [];
  const told: ToldPosition[] = [];
  let stopped = false;
  let deadline = 0;

  /**
   * One request of a kind, retried after a waiting-room 503 (its Retry-After, until the deadline), a
   * plain 503, a short 429, a timeout or a reset connection (twice); the answer, or undefined.
   */
  async function attempt(
    kind: Kind,
    who: string,
    send: () => Promise<Reply>,
    ok: (r: Reply) => boolean,
  ): Promise<Reply | undefined> {
    const tally = tallies[kind];
    for (let tries = 0; ; tries++) {
      if (Date.now() > deadline) return undefined;
      let reply: Reply;
      try {
        reply = await send();
      } catch (err) {
        if (err instanceof RequestFailure && err.kind === 'timeout') tally.timeouts++;
        else tally.socketErrors++;
        if (tries >= 2) return undefined;
        await sleep(500);
        continue;
      }
      tally.byStatus[reply.status] = (tally.byStatus[reply.status] ?? 0) + 1;
      if (ok(reply)) {
        tally.ok++;
        tally.okMs.push(reply.ms);
        return reply;
      }
      // A limiter that paces the storm (a short Retry-After) is waited out, as a student would retry;
      // a lockout (a long or no Retry-After) ends the journey.
      const retryAfter = Number(reply.headers['retry-after']);
      if (reply.status === 429 && retryAfter > 0 && retryAfter * 1000 <= knobs.maxRetryWaitMs && tries < 5) {
        await sleep(retryAfter * 1000);
        continue;
      }
      if (reply.status === 503) {
        const wait = retryAfterMs(reply, knobs.maxRetryWaitMs);
        if (isWaitingRoom(reply)) {
          tally.waitingRoom++;
          waiting.waits++;
          waiting.students.add(who);
          waiting.totalWaitMs += wait;
        } else if (tries >= 2) return reply;
        await sleep(wait);
        continue;
      }
      return reply;
    }
  }

  async function journey(student: RushStudent): Promise<void> {
    const client = new BrowserClient(base, knobs.requestTimeoutMs);
    let signedIn = false;
    try {
      const login = await attempt(
        'signIn',
        student.username,
        () => signIn(client, student.username, plan.password),
        (r) => r.status === 302,
      );
      if (!login || login.status !== 302) {
        if (login?.status === 429) journeys.lockedOut++;
        else if (Date.now() > deadline) journeys.unfinished++;
        else journeys.gaveUp++;
        return;
      }
      signedIn = true;
      for (let view = 0; view < 2; view++) {
        const page = await attempt(
          'page',
          student.username,
          () => client.get('/sections'),
          (r) => r.status === 200,
        );
        if (!page || page.status !== 200) {
          if (Date.now() > deadline) journeys.unfinished++;
          else journeys.gaveUp++;
          return;
        }
      }
      for (const sectionId of student.picks) {
        const key = randomUUID(); // one key per selection: a retry after a timeout or a 503 is the same request
        const reply = await attempt(
          'select',
          student.username,
          () => client.postJson(`/sections/${sectionId}/enrolments`, {}, key),
          (r) => r.status === 201 || (r.status === 409 && errorCode(r) === 'section_full'),
        );
        if (!reply) {
          if (Date.now() > deadline) {
            journeys.unfinished++;
            return;
          }
          continue;
        }
        if (reply.status === 201) {
          outcomes.enrolled++;
          acknowledged.push({ sectionId, studentId: student.studentId });
        } else if (reply.status === 409 && errorCode(reply) === 'section_full') {
          outcomes.waitlisted++;
          const position = Number(
            (JSON.parse(reply.text) as { error?: { waitlist?: { position?: number } } }).error?.waitlist?.position,
          );
          if (Number.isInteger(position)) told.push({ sectionId, studentId: student.studentId, position });
        } else {
          const code = errorCode(reply);
          outcomes.refused[code] = (outcomes.refused[code] ?? 0) + 1;
        }
      }
      journeys.finished++;
    } finally {
      // Done (or given up): signing out hands the waiting room's place to the next in line at once.
      if (signedIn) await client.postForm('/logout', {}).catch(() => undefined);
      client.close();
    }
  }

  // Staff sign in before the storm (they are not part of it), then keep paging through the student list.
  const staffClients: BrowserClient[] = [];
  for (let i = 0; i < knobs.staffClients; i++) {
    const c = new BrowserClient(base, knobs.requestTimeoutMs);
    const login = await signIn(c, 'staff', opts.staffPassword);
    if (login.status !== 302) throw new Error(`rush: staff sign-in answered ${login.status}`);
    staffClients.push(c);
  }

  const started = Date.now();
  deadline = started + knobs.seconds * 1000;
  let nextStudent = 0;
  const progress = setInterval(() => {
    const s = (Date.now() - started) / 1000;
    opts.log(
      `  rush ${s.toFixed(0)} s: ${nextStudent} started, ${journeys.finished} finished, ` +
        `${tallies.signIn.ok} signed in, ${tallies.select.ok} selections`,
    );
  }, 10_000);

  const staffLoop = async (c: BrowserClient, i: number) => {
    let page = 1 + i;
    while (!stopped && Date.now() < deadline) {
      await attempt(
        'staff',
        'staff',
        () => c.get(`/students?page=${page}`),
        (r) => r.status === 200,
      );
      page = (page % 50) + 1;
    }
  };
  const staffDone = Promise.all(staffClients.map(staffLoop));
  const workers = Array.from({ length: Math.min(knobs.concurrency, plan.students.length) }, async () => {
    while (Date.now() < deadline && nextStudent < plan.students.length) await journey(plan.students[nextStudent++]!);
  });
  await Promise.all(workers);
  stopped = true;
  const elapsed = (Date.now() - started) / 1000;
  await staffDone;
  clearInterval(progress);
  for (const c of staffClients) c.close();
  journeys.notStarted = plan.students.length - nextStudent;

  const seconds = Math.max(elapsed, 0.001);
  const report = (t: Tally): KindReport => {
    const sorted = [...t.okMs].sort((a, b) => a - b);
    return {
      ok: t.ok,
      perSecond: Math.round((t.ok / seconds) * 10) / 10,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      maxMs: Math.round(sorted[sorted.length - 1] ?? 0),
      byStatus: t.byStatus,
      timeouts: t.timeouts,
      socketErrors: t.socketErrors,
      waitingRoom: t.waitingRoom,
    };
  };
  const all = Object.values(tallies);
  const sumStatus = (pred: (code: number) => boolean) =>
    all.reduce((n, t) => n + Object.entries(t.byStatus).reduce((m, [c, k]) => m + (pred(Number(c)) ? k : 0), 0), 0);
  const waitingRoom503 = all.reduce((n, t) => n + t.waitingRoom, 0);
  const checks = await checkDatabase(opts.db, plan, acknowledged, told);

  return {
    students: plan.students.length,
    concurrency: knobs.concurrency,
    activeMax: knobs.activeMax,
    seconds: Math.round(elapsed * 10) / 10,
    sections: plan.sections.length,
    hotSections: plan.sections.filter((s) => s.hot).length,
    journeys,
    signIn: report(tallies.signIn),
    page: report(tallies.page),
    select: report(tallies.select),
    staff: report(tallies.staff),
    outcomes,
    errors: {
      status5xx: sumStatus((c) => c >= 500) - waitingRoom503,
      timeouts: all.reduce((n, t) => n + t.timeouts, 0),
      socketErrors: all.reduce((n, t) => n + t.socketErrors, 0),
      status429: sumStatus((c) => c === 429),
      status503WaitingRoom: waitingRoom503,
      status503Other: sumStatus((c) => c === 503) - waitingRoom503,
    },
    waitingRoom: {
      waits: waiting.waits,
      students: waiting.students.size,
      totalWaitSeconds: Math.round(waiting.totalWaitMs / 100) / 10,
    },
    ...checks,
  };
}

/** Seats against capacity, the wait lists' order, and every acknowledged seat present, read from the database. */
async function checkDatabase(
  db: Knex,
  plan: RushPlan,
  acknowledged: Placement[],
  told: ToldPosition[],
): Promise<Pick<RushReport, 'seats' | 'waitLists' | 'acknowledgedMissing'>> {
  const ids = plan.sections.map((s) => s.id);
  const sections: SectionSeats[] = (
    await db('sections').whereIn('id', ids).select('id', 'capacity', 'enrolled_count')
  ).map((s: Record<string, unknown>) => ({
    id: Number(s.id),
    capacity: Number(s.capacity),
    enrolled_count: Number(s.enrolled_count),
  }));
  const rows: PlaceRow[] = (
    await db('enrolments')
      .whereIn('section_id', ids)
      .orderBy('id')
      .select('id', 'section_id', 'student_id', 'status', 'waitlist_seq')
  ).map((r: Record<string, unknown>) => ({
    id: Number(r.id),
    section_id: Number(r.section_id),
    student_id: Number(r.student_id),
    status: String(r.status),
    waitlist_seq: r.waitlist_seq === null ? null : Number(r.waitlist_seq),
  }));
  return {
    seats: checkSeats(sections, rows),
    waitLists: checkWaitLists(rows, told),
    acknowledgedMissing: missingSeats(rows, acknowledged),
  };
}

export function formatRush(r: RushReport): string {
  const k = (name: string, x: KindReport) =>
    `  ${name.padEnd(12)} ${String(x.ok).padStart(6)} ok  ${x.perSecond.toFixed(1).padStart(7)}/s  ` +
    `p50 ${String(x.p50Ms).padStart(5)} ms  p99 ${String(x.p99Ms).padStart(5)} ms  max ${x.maxMs} ms  ` +
    `statuses ${JSON.stringify(x.byStatus)}  timeouts ${x.timeouts}`;
  const e = r.errors;
  const w = r.waitLists;
  return [
    `rush: ${r.students} students, ${r.concurrency} at a time, ${r.sections} sections (${r.hotSections} oversubscribed 3:1), ` +
      `${r.seconds} s, waiting room ${r.activeMax || 'off'} active at most`,
    `  journeys     finished ${r.journeys.finished}, locked out (429) ${r.journeys.lockedOut}, gave up ${r.journeys.gaveUp}, ` +
      `cut by the time limit ${r.journeys.unfinished}, not started ${r.journeys.notStarted}`,
    k('sign-ins', r.signIn),
    k('page views', r.page),
    k('selections', r.select),
    k('staff list', r.staff),
    `  outcomes     enrolled ${r.outcomes.enrolled}, wait-listed ${r.outcomes.waitlisted}, refused ${JSON.stringify(r.outcomes.refused)}`,
    `  errors       5xx ${e.status5xx}, timeouts ${e.timeouts}, socket ${e.socketErrors}, 429 ${e.status429}, ` +
      `503 waiting_room ${e.status503WaitingRoom}, 503 other ${e.status503Other}`,
    `  waiting room ${r.waitingRoom.waits} waits by ${r.waitingRoom.students} students, ${r.waitingRoom.totalWaitSeconds} s waited in all`,
    `  seats        overbooked ${r.seats.overbookedSeats} (in ${r.seats.overbookedSections} sections), ` +
      `enrolled_count mismatches ${r.seats.counterMismatches}, acknowledged seats missing ${r.acknowledgedMissing}`,
    `  wait lists   ${w.inCommitOrder ? 'in commit order' : 'NOT in commit order'}: ${w.waitlisted} places in ${w.sectionsWithWaitList} lists, ` +
      `${w.outOfOrderSections} out of order, ${w.duplicateSeqs} duplicate numbers, ${w.reportedMismatches} of ${w.reportedPositions} told positions differ`,
  ].join('\n');
}
