// A node stalled inside a write's transaction (SIGSTOP, a long pause) must not keep the retry of its
// request, on another node, waiting on the same key's lock: MariaDB rolls the idle transaction back after
// DB_IDLE_TRANSACTION_SECONDS and the retry goes ahead; the stalled node's commit then fails, so the
// write happens once.
import type { Knex } from 'knex';
import { createDb } from '../../src/db/knex';
import { createMysqlDatabase, mysqlAdmin, mysqlDatabaseUrl, testDbName } from '../helpers/test-db';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a transaction left idle by a stalled node', () => {
  const name = testDbName('idle_');
  const admin = mysqlAdmin();
  let stalled: Knex;
  let healthy: Knex;

  beforeAll(async () => {
    await createMysqlDatabase(admin, name);
    const database = { client: 'mysql' as const, url: mysqlDatabaseUrl(name) };
    stalled = createDb(database, { idleTransactionSeconds: 1, poolMax: 1 });
    healthy = createDb(database, { idleTransactionSeconds: 1, poolMax: 1 });
    await healthy.schema.createTable('writes', (t) => {
      t.increments('id');
      t.string('idem_key', 64).notNullable().unique();
    });
  });
  afterAll(async () => {
    await stalled?.destroy();
    await healthy?.destroy();
    await admin.raw(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.destroy();
  });

  it('is rolled back after 1 s, so the retry elsewhere takes the key at once and the original never commits', async () => {
    const original = await stalled.transaction();
    await original('writes').insert({ idem_key: 'k-1' });
    await sleep(1_500); // the node is frozen: no statement, no commit

    const t0 = Date.now();
    await healthy('writes').insert({ idem_key: 'k-1' }); // the retry, on another node
    const waited = Date.now() - t0;
    console.log(`the retry took the key after ${waited} ms`);
    expect(waited).toBeLessThan(500);

    // The woken node's next statement and its commit fail: its write is gone.
    await expect(original('writes').insert({ idem_key: 'k-2' })).rejects.toThrow(/closed state/);
    void original.commit().catch(() => undefined);
    await expect(original.executionPromise).rejects.toThrow();
    expect(await healthy('writes').where({ idem_key: 'k-1' }).count({ n: '*' })).toEqual([{ n: 1 }]);
    // The pool gives the woken node a fresh connection.
    expect(await stalled('writes').count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('leaves a transaction that keeps talking alone', async () => {
    await stalled.transaction(async (trx) => {
      for (let i = 0; i < 3; i++) {
        await trx('writes').insert({ idem_key: `busy-${i}` });
        await sleep(600);
      }
    });
    expect(await healthy('writes').where('idem_key', 'like', 'busy-%').count({ n: '*' })).toEqual([{ n: 3 }]);
  });
});
