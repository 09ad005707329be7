import type { ActorContext } from '../../src/audit/audit-context';
import { createDb } from '../../src/db/knex';
import { inStepwiseWrite } from '../../src/db/write-transaction';

describe('inStepwiseWrite (a write of many transactions)', () => {
  const db = createDb({ client: 'sqlite', filename: ':memory:' });
  beforeAll(() => db.schema.createTable('keys', (t) => t.integer('status')));
  afterAll(() => db.destroy());
  beforeEach(() => db('keys').delete());

  const base: ActorContext = { actorId: 1, actorUsername: 'staff', requestId: null };
  /** Hooks that keep the key in a table, as idempotent-write.ts does: 0 while claimed, 200 once answered. */
  const keyed = (): ActorContext => ({
    ...base,
    idempotency: {
      claim: async (trx) => {
        await trx('keys').insert({ status: 0 });
      },
      complete: async (trx) => {
        await trx('keys').update({ status: 200 });
      },
      release: async (trx) => {
        await trx('keys').where({ status: 0 }).delete();
      },
    },
  });

  it('commits the claim before the first step, and stores the answer after the last', async () => {
    const seen: number[][] = [];
    const result = await inStepwiseWrite(db, keyed(), async (each) => {
      expect(each.idempotency).toBeUndefined();
      seen.push(await db('keys').pluck('status'));
      return 'report';
    });
    expect(result).toBe('report');
    expect(seen).toEqual([[0]]);
    expect(await db('keys').pluck('status')).toEqual([200]);
  });

  it('releases the claim when a step fails, so the same key may run again', async () => {
    await expect(
      inStepwiseWrite(db, keyed(), async () => {
        throw new Error('step failed');
      }),
    ).rejects.toThrow('step failed');
    expect(await db('keys').pluck('status')).toEqual([]);
  });

  it('without a key just runs the steps', async () => {
    expect(await inStepwiseWrite(db, base, async () => 'done')).toBe('done');
    expect(await db('keys').pluck('status')).toEqual([]);
  });
});
