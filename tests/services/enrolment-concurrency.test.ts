// 选课 at the same minute, on MariaDB: many students racing for the last seats through the real app.
// Capacity is never exceeded, nobody is enrolled twice, and the seat counter matches the rows.
import { createSection, createStudent, createUser } from '../helpers/factories';
import { enrolJson, seatCounts, type SignedInStudent, tokenFor } from '../helpers/selection';
import { signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

jest.setTimeout(180_000);

const STUDENTS = 200;
const CAPACITY = 30;
const BATCH = 20;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

function report(label: string, outcomes: Record<string, number>, latencies: number[], elapsed: number): void {
  const sorted = [...latencies].sort((a, b) => a - b);
  console.log(
    [
      `${label}`,
      `  requests: ${latencies.length}`,
      `  outcomes: ${JSON.stringify(outcomes)}`,
      `  elapsed: ${elapsed.toFixed(0)} ms (${((latencies.length / elapsed) * 1000).toFixed(0)} req/s)`,
      `  latency p50: ${percentile(sorted, 50).toFixed(0)} ms, p99: ${percentile(sorted, 99).toFixed(0)} ms, max: ${sorted[sorted.length - 1]!.toFixed(0)} ms`,
    ].join('\n'),
  );
}

describe('course selection under concurrency (MariaDB)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp();
    if (t.db.client.config.client !== 'mysql2') throw new Error('this suite runs on MariaDB/MySQL only');
  });
  afterAll(() => t.close());

  /** Students with accounts, signed in BATCH at a time (argon2 makes each sign-in ~20 ms of CPU). */
  async function signedInStudents(n: number): Promise<SignedInStudent[]> {
    const all: SignedInStudent[] = [];
    for (let start = 0; start < n; start += BATCH) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(BATCH, n - start) }, async () => {
          const row = await createStudent(t.db);
          const user = await createUser(t.db, 'student', { studentId: row.id });
          const agent = await signIn(t.app, user);
          return { row, user, agent, token: await tokenFor(agent) };
        }),
      );
      all.push(...batch);
    }
    return all;
  }

  it(`${STUDENTS} students for ${CAPACITY} seats: exactly ${CAPACITY} enrolled, the rest on the waiting list`, async () => {
    const section = await createSection(t.db, { capacity: CAPACITY });
    const students = await signedInStudents(STUDENTS);

    let retried = 0;
    // As nginx does: a node that sheds a request with 503 (its pool was busy past its wait: a busy
    // machine) wrote nothing, and the request is sent again, with its idempotency key (a busy test machine
    // may shed the same request several times: up to ten tries, a second apart at most).
    const enrolOnce = async (s: SignedInStudent, key: string) => {
      for (let attempt = 1; ; attempt++) {
        const res = await enrolJson(s.agent, s.token, section.id, {}, { 'Idempotency-Key': key });
        if (res.status !== 503 || attempt === 10) return res;
        retried += 1;
        await new Promise((resolve) => setTimeout(resolve, 200 * Math.min(attempt, 5)));
      }
    };
    const { result: answers, ms: elapsed } = await timed(() =>
      Promise.all(students.map((s, i) => timed(() => enrolOnce(s, `rush-${section.id}-${i}-key`)))),
    );
    console.log(`503 answers sent again: ${retried}`);
    const outcomes: Record<string, number> = {};
    for (const { result: res } of answers) {
      const key = res.status === 201 ? '201 enrolled' : `${res.status} ${res.body.error?.code ?? 'unknown'}`;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }
    report(
      `${STUDENTS} students, one section of ${CAPACITY}`,
      outcomes,
      answers.map((a) => a.ms),
      elapsed,
    );

    expect(outcomes).toEqual({ '201 enrolled': CAPACITY, '409 section_full': STUDENTS - CAPACITY });
    // Every refused student got a distinct waiting place: positions 1..170, each once.
    const positions = answers
      .filter((a) => a.result.status === 409)
      .map((a) => a.result.body.error.waitlist.position as number)
      .sort((a, b) => a - b);
    expect(positions).toEqual(Array.from({ length: STUDENTS - CAPACITY }, (_, i) => i + 1));

    expect(await seatCounts(t.db, section.id)).toEqual({ counter: CAPACITY, enrolled: CAPACITY });
    const rows = await t.db('enrolments').where({ section_id: section.id });
    expect(rows).toHaveLength(STUDENTS);
    expect(new Set(rows.map((r) => r.student_id)).size).toBe(STUDENTS);
    const waiting = rows.filter((r) => r.status === 'waitlisted');
    expect(waiting).toHaveLength(STUDENTS - CAPACITY);
    expect(new Set(waiting.map((r) => String(r.waitlist_seq))).size).toBe(STUDENTS - CAPACITY);
    // The enrolled ones are exactly those told 201.
    const told = new Set(answers.filter((a) => a.result.status === 201).map((a) => a.result.body.data.student_id));
    expect(new Set(rows.filter((r) => r.status === 'enrolled').map((r) => r.student_id))).toEqual(told);
  });

  it('one student sending 10 parallel requests gets one enrolment', async () => {
    const section = await createSection(t.db, { capacity: CAPACITY });
    const [student] = await signedInStudents(1);
    const { result: answers, ms: elapsed } = await timed(() =>
      Promise.all(Array.from({ length: 10 }, () => timed(() => enrolJson(student!.agent, student!.token, section.id)))),
    );
    const outcomes: Record<string, number> = {};
    for (const { result: res } of answers) {
      const key = res.status === 201 ? '201 enrolled' : `${res.status} ${res.body.error?.code ?? 'unknown'}`;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }
    report(
      'one student, 10 parallel requests',
      outcomes,
      answers.map((a) => a.ms),
      elapsed,
    );

    expect(outcomes).toEqual({ '201 enrolled': 1, '409 already_enrolled': 9 });
    expect(await t.db('enrolments').where({ section_id: section.id })).toHaveLength(1);
    expect(await seatCounts(t.db, section.id)).toEqual({ counter: 1, enrolled: 1 });
  });
});
