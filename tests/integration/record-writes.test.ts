// The shared record write path as other code uses it: a service write joins a caller's transaction
// (a bulk operation batches many writes in one), and a keyed write that never ran the write transaction
// is caught instead of silently losing its retry guarantee.
import express from 'express';
import request from 'supertest';
import type { ActorContext } from '../../src/audit/audit-context';
import { buildServices } from '../../src/features';
import { IdempotencyRepository } from '../../src/idempotency/idempotency.repository';
import { IdempotentWrites } from '../../src/idempotency/idempotent-write';
import { inWriteTransaction } from '../../src/db/write-transaction';
import { UsersRepository } from '../../src/users/users.repository';
import { buildTestApp, type TestApp } from '../helpers/test-app';

const ctx: ActorContext = { actorId: null, actorUsername: 'bulk', requestId: null };

const studentBody = (no: string) => ({
  student_no: no,
  name: `Bulk ${no}`,
  gender: 'female',
  enrolment_year: 2024,
  status: 'enrolled',
});

describe('service writes joining an outer transaction', () => {
  let t: TestApp;
  let services: ReturnType<typeof buildServices>;
  beforeAll(async () => {
    t = await buildTestApp();
    services = buildServices({ config: t.config, db: t.db, users: new UsersRepository(t.db) });
  });
  afterAll(() => t.close());

  const count = async (q: PromiseLike<{ n: number | string }[]>) => Number((await q)[0]!.n);
  const students = (nos: string[]) => count(t.db('students').whereIn('student_no', nos).count({ n: '*' }));
  const bulkAudit = () => count(t.db('audit_log').where({ actor_username: 'bulk' }).count({ n: '*' }));

  it('commits every write of the batch, each with its audit row, when the caller commits', async () => {
    const nos = ['BULKOK01', 'BULKOK02', 'BULKOK03'];
    const audited = await bulkAudit();
    await t.db.transaction(async (trx) => {
      for (const no of nos) await services.students.create(studentBody(no), ctx, { transacting: trx });
    });
    expect(await students(nos)).toBe(3);
    expect(await bulkAudit()).toBe(audited + 3);
  });

  it('writes nothing of the batch, audit rows included, when one write in it is refused', async () => {
    const nos = ['BULKNO01', 'BULKNO02'];
    const audited = await bulkAudit();
    const batch = t.db.transaction(async (trx) => {
      await services.students.create(studentBody(nos[0]!), ctx, { transacting: trx });
      await services.students.create(studentBody(nos[1]!), ctx, { transacting: trx });
      // The same number again: the unique key refuses it as a field error, and the whole batch rolls back.
      await services.students.create(studentBody(nos[0]!), ctx, { transacting: trx });
    });
    await expect(batch).rejects.toMatchObject({ status: 422, fields: { student_no: 'validation.student_no.taken' } });
    expect(await students(nos)).toBe(0);
    expect(await bulkAudit()).toBe(audited);
  });

  it('joins the transaction for edits and archives too: a rolled-back batch leaves the record as it was', async () => {
    const created = await services.students.create(studentBody('BULKED01'), ctx);
    const audited = await bulkAudit();
    const batch = t.db.transaction(async (trx) => {
      const edited = await services.students.update(
        created.id,
        { ...studentBody('BULKED01'), name: 'Renamed', version: created.version },
        ctx,
        { transacting: trx },
      );
      await services.students.archive(edited.id, ctx, { transacting: trx });
      throw new Error('the batch gives up');
    });
    await expect(batch).rejects.toThrow('the batch gives up');
    const row = await t.db('students').where({ id: created.id }).first();
    expect(row).toMatchObject({ name: 'Bulk BULKED01', version: created.version, deleted_at: null });
    expect(await bulkAudit()).toBe(audited);
  });
});

describe('a keyed write that never claims its key', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  /** A bare app whose one route answers through IdempotentWrites, with or without the write transaction. */
  function appWith(strict: boolean, logged: string[]) {
    const writes = new IdempotentWrites(new IdempotencyRepository(t.db), ['a-test-secret'], { strict });
    const app = express();
    app.use(express.json());
    app.use((req, _res, next) => {
      req.user = { id: 1, username: 'admin', role: 'admin', studentId: null, mustChangePassword: false };
      (req as unknown as { log: { error: (m: string) => void } }).log = { error: (m) => logged.push(m) };
      next();
    });
    const answer = () => ({ status: 200, location: '/', body: { data: 'ok' } });
    app.post('/outside', (req, res, next) => {
      writes.handle(req, res, async () => 'written outside any write transaction', answer).catch(next);
    });
    app.post('/inside', (req, res, next) => {
      writes.handle(req, res, (c) => inWriteTransaction(t.db, c, async () => 'written'), answer).catch(next);
    });
    app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).json({ error: err.message });
    });
    return app;
  }

  it('fails the request loudly outside production, naming the route', async () => {
    const logged: string[] = [];
    const res = await request(appWith(true, logged))
      .post('/outside')
      .set('Accept', 'application/json')
      .set('Idempotency-Key', 'unclaimed-key-1')
      .send({});
    expect(res.status).toBe(500);
    expect(res.body.error).toBe('keyed write POST /outside never claimed its idempotency key');
    expect(logged).toEqual([]);
  });

  it('in production answers, and logs the programming error', async () => {
    const logged: string[] = [];
    const res = await request(appWith(false, logged))
      .post('/outside')
      .set('Accept', 'application/json')
      .set('Idempotency-Key', 'unclaimed-key-2')
      .send({});
    expect(res.status).toBe(200);
    expect(logged).toEqual(['keyed write POST /outside never claimed its idempotency key']);
  });

  it('lets a write through the write transaction be, and stores its answer under the key', async () => {
    const logged: string[] = [];
    const res = await request(appWith(true, logged))
      .post('/inside')
      .set('Accept', 'application/json')
      .set('Idempotency-Key', 'claimed-key-01')
      .send({});
    expect(res.status).toBe(200);
    expect(logged).toEqual([]);
    expect(await t.db('idempotency_keys').where({ idem_key: 'claimed-key-01' }).first('status_code')).toEqual({
      status_code: 200,
    });
  });

  it('without a key, a write needs no transaction of its own', async () => {
    const res = await request(appWith(true, [])).post('/outside').set('Accept', 'application/json').send({});
    expect(res.status).toBe(200);
  });
});
