// Every list and search query the repositories build, at 100,000 students on MariaDB: captured from the
// real repository calls (knex's 'query' event), run again under ANALYZE FORMAT=JSON, and refused when
// a growing table is read whole (access type ALL) or a query reads more rows than a page can justify.
// Prints each query's figures: the table, access type, key, rows read and time.
import type { Knex } from 'knex';
import { seedStudents } from '../../seeds/demo';
import { AuditLogRepository } from '../../src/admin/audit-log.repository';
import { auditQuerySchema, userListQuerySchema } from '../../src/admin/users.schemas';
import { parseOrThrow } from '../../src/lib/validate';
import { GRAMS_TABLE } from '../../src/db/name-grams';
import { StudentsRepository } from '../../src/students/students.repository';
import { listQuerySchema } from '../../src/students/students.schemas';
import { UsersRepository } from '../../src/users/users.repository';
import { createTestDb, type TestDb } from '../helpers/test-db';

const STUDENTS = 100_000;
const USERS = 30_000;
const AUDIT_ROWS = 100_000;
/** Rows one query may read: a page, its count's cap (1,000 past the page) and index look-ups around them. */
const MAX_ROWS_READ = 5_000;
const GROWING = new Set(['students', GRAMS_TABLE, 'users', 'audit_log', 'enrolments', 'grades']);

interface TableRead {
  table: string;
  access: string;
  key: string | undefined;
  rows: number;
}

/** Every table access in a MariaDB ANALYZE FORMAT=JSON plan, derived tables and unions included. */
function tableReads(node: unknown, out: TableRead[] = []): TableRead[] {
  if (Array.isArray(node)) {
    for (const item of node) tableReads(item, out);
  } else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o.table_name === 'string' && typeof o.access_type === 'string') {
      out.push({
        table: o.table_name,
        access: o.access_type,
        key: typeof o.key === 'string' ? o.key : undefined,
        rows: Math.round(Number(o.r_loops ?? 1) * Number(o.r_rows ?? 0)),
      });
    }
    for (const value of Object.values(o)) tableReads(value, out);
  }
  return out;
}

describe('query plans at 100,000 students', () => {
  let t: TestDb;
  let students: StudentsRepository;
  let users: UsersRepository;
  let audit: AuditLogRepository;
  const captured: { sql: string; bindings: readonly unknown[] }[] = [];
  const capture = (q: { sql: string; bindings?: readonly unknown[] }) =>
    captured.push({ sql: q.sql, bindings: q.bindings ?? [] });

  beforeAll(async () => {
    const started = Date.now();
    t = await createTestDb('mysql');
    const db = t.db;
    await seedStudents(db, STUDENTS);
    // Some archived, as a real table has (rows and their grams in step, as setArchived keeps them).
    await db('students').whereRaw('id % 50 = 0').update({ deleted_at: '2026-01-01 00:00:00', archived: 1 });
    await db(GRAMS_TABLE).whereRaw('student_id % 50 = 0').update({ archived: 1 });
    const ids: number[] = (await db('students').orderBy('id').limit(USERS).pluck('id')).map(Number);
    for (let i = 0; i < ids.length; i += 2000)
      await db('users').insert(
        ids.slice(i, i + 2000).map((id) => ({
          username: `s${id}`,
          role: 'student',
          password_hash: 'x',
          student_id: id,
          active: true,
          must_change_password: false,
          created_at: '2026-01-01 00:00:00',
          updated_at: '2026-01-01 00:00:00',
        })),
      );
    const actions = ['create', 'update', 'archive', 'login', 'logout'];
    for (let i = 0; i < AUDIT_ROWS; i += 2000)
      await db('audit_log').insert(
        Array.from({ length: Math.min(2000, AUDIT_ROWS - i) }, (_, j) => ({
          actor_id: null,
          actor_username: `staff${(i + j) % 40}`,
          action: actions[(i + j) % actions.length],
          entity: (i + j) % 3 === 0 ? 'user' : 'student',
          entity_id: String(1 + ((i + j) % STUDENTS)),
          node_id: 'test',
          at: `2026-0${1 + Math.floor((i + j) / 20_000)}-01 00:00:00`,
        })),
      );
    await db.raw(`analyze table students, ${GRAMS_TABLE}, users, audit_log`);
    students = new StudentsRepository(db);
    users = new UsersRepository(db);
    audit = new AuditLogRepository(db);
    db.on('query', capture);
    console.log(`set-up: ${STUDENTS} students, ${USERS} users, ${AUDIT_ROWS} audit rows in ${Date.now() - started} ms`);
  }, 240_000);
  afterAll(async () => {
    t.db.off('query', capture);
    await t.drop();
  });

  /** Runs `call`, then each SELECT it sent under ANALYZE; returns the reads and prints them. */
  async function plansOf(label: string, call: () => Promise<unknown>): Promise<TableRead[][]> {
    captured.length = 0;
    const started = process.hrtime.bigint();
    await call();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const selects = captured.filter((q) => /^\s*select/i.test(q.sql)).map((q) => ({ ...q }));
    const plans: TableRead[][] = [];
    t.db.off('query', capture);
    try {
      for (const q of selects) {
        const [[row]] = await t.db.raw(`analyze format=json ${q.sql}`, q.bindings as Knex.RawBinding[]);
        const plan = JSON.parse(Object.values(row as Record<string, string>)[0]!);
        const reads = tableReads(plan);
        plans.push(reads);
        const ms = Number(plan.query_block?.r_total_time_ms ?? 0).toFixed(2);
        console.log(
          `${label} [${ms} ms]: ${reads.map((r) => `${r.table} ${r.access}${r.key ? `(${r.key})` : ''} ${r.rows}`).join(', ')}`,
        );
      }
    } finally {
      t.db.on('query', capture);
    }
    console.log(`${label}: ${selects.length} queries, ${ms.toFixed(1)} ms through the repository`);
    return plans;
  }

  function expectBounded(plans: TableRead[][]): void {
    expect(plans.length).toBeGreaterThan(0);
    for (const reads of plans) {
      for (const r of reads) {
        if (GROWING.has(r.table))
          expect({ table: r.table, access: r.access }).not.toEqual({ table: r.table, access: 'ALL' });
        expect({ table: r.table, rows: r.rows, bounded: r.rows <= MAX_ROWS_READ }).toMatchObject({ bounded: true });
      }
    }
  }

  const studentList = (query: Record<string, unknown>) => () => students.list(parseOrThrow(listQuerySchema, query));

  describe('the student list', () => {
    test.each([
      ['page 1, by number', {}],
      ['page 1, by number, descending', { dir: 'desc' }],
      ['page 1, by name', { sort: 'name' }],
      ['page 1, by name, descending', { sort: 'name', dir: 'desc' }],
      ['page 1, by year', { sort: 'enrolment_year' }],
      ['page 1, by status', { sort: 'status' }],
      ['page 1, by last change', { sort: 'updated_at', dir: 'desc' }],
      ['archived', { archived: '1' }],
      ['status filter', { status: 'suspended' }],
      ['year filter', { year: '2023' }],
      ['status and year filters', { status: 'graduated', year: '2022' }],
      ['page 3 by offset', { page: '3' }],
    ])('%s', async (label, query) => {
      expectBounded(await plansOf(`students ${label}`, studentList(query)));
    });

    it('a deep page by cursor (row 60,000 by name)', async () => {
      // The list sorted by name orders by the pinyin sort key (db/name-sort.ts), and its cursor holds it.
      const row = await t
        .db('students')
        .whereNull('deleted_at')
        .orderBy('name_sort')
        .orderBy('id')
        .offset(60_000)
        .first('id', 'name_sort');
      const { encodeCursor } = await import('../../src/lib/keyset');
      const after = encodeCursor({ sort: 'name', dir: 'asc', value: row.name_sort, id: Number(row.id) });
      const page = await students.list(parseOrThrow(listQuerySchema, { sort: 'name', page: '3001', after }));
      expect(page.rows).toHaveLength(20);
      expect(page.rows[0]!.name_sort! >= row.name_sort).toBe(true);
      expectBounded(await plansOf('students deep page by cursor', studentList({ sort: 'name', page: '3001', after })));
    });
  });

  describe('the student search', () => {
    test.each([
      ['a common one-character name (王)', { q: '王' }],
      ['王, page 2', { q: '王', page: '2' }],
      ['a two-character name', { q: '王伟' }],
      ['a three-character name', { q: '王小明' }],
      ['a Latin name part', { q: 'smith' }],
      ['王 with the status filter', { q: '王', status: 'enrolled' }],
      ['a student-number prefix', { q: '2023' }],
      ['a whole student number', { q: '2023000123' }],
      ['nothing matches', { q: '龘' }],
    ])('%s', async (label, query) => {
      expectBounded(await plansOf(`search ${label}`, studentList(query)));
    });

    it('is faster than the LIKE it replaced (printed, not asserted: timings vary)', async () => {
      const timed = async (run: () => Promise<unknown>) => {
        await run();
        const started = process.hrtime.bigint();
        for (let i = 0; i < 5; i++) await run();
        return Number(process.hrtime.bigint() - started) / 5e6;
      };
      t.db.off('query', capture);
      // The query of before: name like '%q%' (or a number prefix), OFFSET page, capped count.
      const legacy = async (q: string) => {
        const filtered = () =>
          t
            .db('students')
            .whereNull('deleted_at')
            .where((w) => {
              w.whereRaw("student_no like ? escape '!'", [`${q}%`]).orWhereRaw("name like ? escape '!'", [`%${q}%`]);
            });
        await filtered().select('*').orderBy('student_no').orderBy('id').limit(20);
        await t.db.from(filtered().select(t.db.raw('1')).limit(1021).as('m')).count({ n: '*' });
      };
      for (const q of ['王', '王伟', '王小明', 'smith']) {
        const before = await timed(() => legacy(q));
        const after = await timed(studentList({ q }));
        console.log(`name search ${q}: LIKE ${before.toFixed(2)} ms, grams ${after.toFixed(2)} ms (page + count)`);
      }
      t.db.on('query', capture);
    });
  });

  describe('the admin account list', () => {
    test.each([
      ['page 1', {}],
      ['by last sign-in', { sort: 'last_login_at', dir: 'desc' }],
      ['search by a name', { q: '王伟' }],
      ['search by a username', { q: 's123' }],
      ['role filter', { role: 'student' }],
    ])('%s', async (label, query) => {
      expectBounded(await plansOf(`users ${label}`, () => users.list(parseOrThrow(userListQuerySchema, query))));
    });
  });

  describe('the audit log', () => {
    test.each([
      ['page 1', {}],
      ['page 5', { page: '5' }],
      ['by actor', { actor: 'staff7' }],
      ['by entity', { entity: 'student' }],
      ['by record', { entity: 'student', entity_id: '4242' }],
      ['by action', { action: 'archive' }],
      ['by day range', { from: '2026-03-01', to: '2026-03-31' }],
    ])('%s', async (label, query) => {
      expectBounded(await plansOf(`audit ${label}`, () => audit.search(parseOrThrow(auditQuerySchema, query))));
    });
  });
});
