// Waiting-list promotion, class enrolment and a drop racing other writes, on MariaDB. Each race is made
// deterministic: a second, real connection holds a row lock so that one request stops at a chosen point
// (seen in information_schema.innodb_lock_waits), the competing request runs, and the lock is let go.
import type { Knex } from 'knex';
import type { Response } from 'supertest';
import {
  createClass,
  createSection,
  createStudent,
  createTerm,
  createUser,
  insertEnrolment,
} from '../helpers/factories';
import { GradesRepository } from '../../src/grades/grades.repository';
import { dropJson, enrolJson, seatCounts, signedInStudent, tokenFor } from '../helpers/selection';
import { type Agent, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

jest.setTimeout(60_000);

/** How long a request may take to reach the lock it is expected to wait on. */
const WAIT_MS = 10_000;

/** Sends a supertest request now (it is only sent once something awaits it). */
const start = (req: PromiseLike<Response>): Promise<Response> =>
  new Promise((resolve, reject) => req.then(resolve, reject));

/** Resolves with `what` if it settles within `ms`, else with 'timeout' (the race never hangs the suite). */
async function within<T>(what: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([what, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('waiting-list promotion and class enrolment under concurrency (MariaDB)', () => {
  let t: TestApp;
  let staff: Agent;
  let staffToken: string;

  beforeAll(async () => {
    t = await buildTestApp();
    if (t.db.client.config.client !== 'mysql2') throw new Error('this suite runs on MariaDB/MySQL only');
    staff = await signIn(t.app, await createUser(t.db, 'staff'));
    staffToken = await tokenFor(staff);
  });
  afterAll(() => t.close());

  // A failed test must not leave its lock held: the requests behind it would hang the suite.
  const held: Knex.Transaction[] = [];
  afterEach(async () => {
    for (const trx of held.splice(0)) if (!trx.isCompleted()) await trx.rollback();
  });

  /** A transaction on its own connection, holding row locks until `release`. */
  async function holdLocks(lock: (trx: Knex.Transaction) => Promise<unknown>) {
    const trx = await t.db.transaction();
    held.push(trx);
    await lock(trx);
    const row = (await trx.raw('SELECT CONNECTION_ID() AS thread'))[0][0] as { thread: number | string };
    return { thread: String(row.thread), release: () => trx.commit() };
  }

  /**
   * The connection (thread) of a transaction waiting on a lock that the transaction of connection
   * `blockingThread` holds, once one does. Connections, not transaction ids: InnoDB gives a transaction
   * that has written nothing a provisional id, which changes when it writes, so an id taken earlier may
   * never show up in innodb_lock_waits. InnoDB also refreshes these tables only when they were last read
   * over 100 ms ago; a waiter counts only while its connection, in this database, is running its query.
   */
  async function waiterOn(blockingThread: string): Promise<string> {
    const deadline = Date.now() + WAIT_MS;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      const [rows] = await t.db.raw(
        `SELECT r.trx_mysql_thread_id AS thread FROM information_schema.innodb_lock_waits w
           JOIN information_schema.innodb_trx b ON b.trx_id = w.blocking_trx_id
           JOIN information_schema.innodb_trx r ON r.trx_id = w.requesting_trx_id
           JOIN information_schema.processlist p ON p.id = r.trx_mysql_thread_id
          WHERE b.trx_mysql_thread_id = ? AND p.command = 'Query' AND p.db = DATABASE()`,
        [blockingThread],
      );
      if (rows.length > 0) return String(rows[0].thread);
    }
    throw new Error(`nothing waited on connection ${blockingThread}'s transaction within ${WAIT_MS} ms`);
  }

  const placeOf = async (sectionId: number, studentId: number) =>
    (await t.db('enrolments').where({ section_id: sectionId, student_id: studentId }).first())?.status as
      string | undefined;
  const deadlocks = async () => Number((await t.db.raw("SHOW GLOBAL STATUS LIKE 'Innodb_deadlocks'"))[0][0].Value);

  it('a drop promoting a waiting student who meanwhile enrolled in a clashing section skips them', async () => {
    const term = await createTerm(t.db);
    const periods = [{ day_of_week: 1, start_period: 1, end_period: 2 }];
    const x = await createSection(t.db, { termId: term.id, capacity: 1, meetings: periods });
    const y = await createSection(t.db, { termId: term.id, capacity: 5, meetings: periods });
    const dropper = await createStudent(t.db);
    const s = await signedInStudent(t.app, t.db);
    await insertEnrolment(t.db, x.id, dropper.id, 'enrolled');
    const waiting = await insertEnrolment(t.db, x.id, s.row.id, 'waitlisted');

    // The drop takes its snapshot, frees the seat and stops at the waiting list (S's place is held).
    const hold = await holdLocks((trx) => trx('enrolments').where({ id: waiting.id }).forUpdate());
    const drop = start(dropJson(staff, staffToken, x.id, dropper.id));
    await waiterOn(hold.thread);

    // Meanwhile S takes Y, which meets at the same periods as X.
    const enrolY = await within(start(enrolJson(s.agent, s.token, y.id)), WAIT_MS);
    await hold.release();
    expect(enrolY !== 'timeout' && enrolY.status).toBe(201);

    const dropped = await drop;
    expect(dropped.status).toBe(200);
    expect(dropped.body.data.promoted_student_id).toBeNull();
    expect(await placeOf(y.id, s.row.id)).toBe('enrolled');
    expect(await placeOf(x.id, s.row.id)).toBe('waitlisted');
    expect(await seatCounts(t.db, x.id)).toEqual({ counter: 0, enrolled: 0 });
  });

  it('a drop promoting a student who at that moment leaves the waiting list: both succeed (deadlock retried)', async () => {
    const x = await createSection(t.db, { capacity: 1 });
    const dropper = await createStudent(t.db);
    const w = await signedInStudent(t.app, t.db);
    const dropperPlace = await insertEnrolment(t.db, x.id, dropper.id, 'enrolled');
    await insertEnrolment(t.db, x.id, w.row.id, 'waitlisted');
    const deadlocksBefore = await deadlocks();

    // The staff drop locks the section, then stops at the dropper's place...
    const hold = await holdLocks((trx) => trx('enrolments').where({ id: dropperPlace.id }).forUpdate());
    const drop = start(dropJson(staff, staffToken, x.id, dropper.id));
    const dropThread = await waiterOn(hold.thread);
    // ...while W, locked by their own request, waits for the section: the opposite lock order.
    const leave = start(dropJson(w.agent, w.token, x.id, w.row.id));
    await waiterOn(dropThread);
    await hold.release();

    const [dropped, left] = await Promise.all([within(drop, WAIT_MS), within(leave, WAIT_MS)]);
    expect(dropped !== 'timeout' && dropped.status).toBe(200);
    expect(left !== 'timeout' && left.status).toBe(200);
    // The drop then wants W (to promote them) while W wants the section: InnoDB breaks that at once.
    expect(await deadlocks()).toBeGreaterThan(deadlocksBefore);
    expect(await placeOf(x.id, dropper.id)).toBe('dropped');
    expect(await placeOf(x.id, w.row.id)).toBe('dropped');
    expect(await seatCounts(t.db, x.id)).toEqual({ counter: 0, enrolled: 0 });
  });

  it('a drop waiting for the section while a grade is saved sees the grade: 409 enrolment_graded, the seat kept', async () => {
    const x = await createSection(t.db, { capacity: 5 });
    const s = await signedInStudent(t.app, t.db);
    const seat = await insertEnrolment(t.db, x.id, s.row.id, 'enrolled');

    // The drop reads the section (its snapshot taken) and stops at the section's lock, which a grade save holds.
    let saving: Knex.Transaction | undefined;
    const hold = await holdLocks(async (trx) => {
      saving = trx;
      await trx('sections').where({ id: x.id }).forUpdate();
    });
    const drop = start(dropJson(s.agent, s.token, x.id, s.row.id));
    await waiterOn(hold.thread);
    await new GradesRepository(t.db).insert(seat.id, { score: 75, passed: null }, null, saving);
    await hold.release();

    const dropped = await within(drop, WAIT_MS);
    expect(dropped !== 'timeout' && dropped.status).toBe(409);
    expect(dropped !== 'timeout' && dropped.body.error.code).toBe('enrolment_graded');
    expect(await placeOf(x.id, s.row.id)).toBe('enrolled');
    expect(await seatCounts(t.db, x.id)).toEqual({ counter: 1, enrolled: 1 });
  });

  it('a twin class enrolment with the same key answers "in progress" at once; the stored report is the first', async () => {
    const x = await createSection(t.db, { capacity: 10 });
    const cls = await createClass(t.db);
    const first = await createStudent(t.db, { class_id: cls.id });
    const second = await createStudent(t.db, { class_id: cls.id });
    const headers = { 'Idempotency-Key': 'class-twin-key-0001' };
    const body = { class_id: cls.id };

    // The first request enrols the first student and stops at the second one's row.
    const hold = await holdLocks((trx) => trx('students').where({ id: second.id }).forUpdate());
    const one = start(enrolJson(staff, staffToken, x.id, body, headers));
    await waiterOn(hold.thread);
    expect(await placeOf(x.id, first.id)).toBe('enrolled');

    const twin = await within(start(enrolJson(staff, staffToken, x.id, body, headers)), 3_000);
    await hold.release();
    expect(twin !== 'timeout' && twin.status).toBe(409);
    expect(twin !== 'timeout' && twin.body.error.code).toBe('idempotency_in_progress');

    const done = await one;
    expect(done.status).toBe(200);
    expect(done.body.data.counts).toEqual({ enrolled: 2, waitlisted: 0, refused: 0 });
    const replay = await enrolJson(staff, staffToken, x.id, body, headers);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(done.body);
    expect(await seatCounts(t.db, x.id)).toEqual({ counter: 2, enrolled: 2 });
    const enrolAudits = await t
      .db('audit_log')
      .where({ entity: 'enrolment', action: 'enrol' })
      .whereIn('entity_id', (await t.db('enrolments').where({ section_id: x.id }).pluck('id')).map(String));
    expect(enrolAudits).toHaveLength(2);
  });
});
