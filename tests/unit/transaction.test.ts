import { createDb } from '../../src/db/knex';
import { inTransaction } from '../../src/db/transaction';

describe('inTransaction', () => {
  const db = createDb({ client: 'sqlite', filename: ':memory:' });
  beforeAll(() => db.schema.createTable('t', (t) => t.integer('n')));
  afterAll(() => db.destroy());

  it('retries the whole transaction after a deadlock, a bounded number of times', async () => {
    let calls = 0;
    const result = await inTransaction(db, async (trx) => {
      calls++;
      await trx('t').insert({ n: calls });
      if (calls < 3) throw Object.assign(new Error('Deadlock found'), { errno: 1213 });
      return 'done';
    });
    expect(result).toBe('done');
    expect(calls).toBe(3);
    // The failed attempts were rolled back: only the last insert stayed.
    expect(await db('t').pluck('n')).toEqual([3]);
  });

  it('gives up after four attempts and rethrows', async () => {
    let calls = 0;
    await expect(
      inTransaction(db, async () => {
        calls++;
        throw Object.assign(new Error('Deadlock found'), { errno: 1213 });
      }),
    ).rejects.toThrow('Deadlock found');
    expect(calls).toBe(4);
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    await expect(
      inTransaction(db, async () => {
        calls++;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(calls).toBe(1);
  });
});
