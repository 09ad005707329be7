import { isConnectionError, isRetryableTransactionError, isUniqueViolation } from '../../src/db/errors';

describe('driver error mapping', () => {
  it.each([
    [{ errno: 1062, code: 'ER_DUP_ENTRY' }, true],
    [{ code: 'SQLITE_CONSTRAINT_UNIQUE' }, true],
    [{ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' }, false],
    [{ errno: 1452 }, false],
    [null, false],
  ])('unique violation %j -> %s', (err, expected) => {
    expect(isUniqueViolation(err)).toBe(expected);
  });

  it.each([
    [{ errno: 1213 }, true],
    [{ code: 'ER_LOCK_WAIT_TIMEOUT' }, true],
    [{ code: 'SQLITE_BUSY' }, true],
    [{ errno: 1062 }, false],
  ])('retryable %j -> %s', (err, expected) => {
    expect(isRetryableTransactionError(err)).toBe(expected);
  });

  it('treats refused connections and pool timeouts as the database being unavailable', () => {
    expect(isConnectionError({ code: 'ECONNREFUSED' })).toBe(true);
    const timeout = new Error('Knex: Timeout acquiring a connection');
    timeout.name = 'KnexTimeoutError';
    expect(isConnectionError(timeout)).toBe(true);
    expect(isConnectionError(new Error('syntax error'))).toBe(false);
  });
});
