// Maps driver-specific errors (mysql2, better-sqlite3) to the few cases the services care about.

interface DriverError {
  code?: string;
  errno?: number;
}

function asDriverError(err: unknown): DriverError {
  return typeof err === 'object' && err !== null ? (err as DriverError) : {};
}

/** A unique key was violated: ER_DUP_ENTRY on MySQL, SQLITE_CONSTRAINT_UNIQUE on SQLite. */
export function isUniqueViolation(err: unknown): boolean {
  const { code, errno } = asDriverError(err);
  return errno === 1062 || code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** A foreign key points at a row that does not exist: ER_NO_REFERENCED_ROW_2 / SQLITE_CONSTRAINT_FOREIGNKEY. */
export function isForeignKeyViolation(err: unknown): boolean {
  const { code, errno } = asDriverError(err);
  return errno === 1452 || code === 'ER_NO_REFERENCED_ROW_2' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** Worth retrying the whole transaction: a deadlock or lock wait timeout, or SQLite's busy lock. */
export function isRetryableTransactionError(err: unknown): boolean {
  const { code, errno } = asDriverError(err);
  return (
    errno === 1213 ||
    errno === 1205 ||
    code === 'ER_LOCK_DEADLOCK' ||
    code === 'ER_LOCK_WAIT_TIMEOUT' ||
    code === 'SQLITE_BUSY'
  );
}

/** The database could not be reached or answered in time: a 503, not a 500. */
export function isConnectionError(err: unknown): boolean {
  const { code } = asDriverError(err);
  if (err instanceof Error && err.name === 'KnexTimeoutError') return true;
  // knex after its pool was destroyed (a node shutting down): unavailable, not broken.
  if (err instanceof Error && err.message.startsWith('Unable to acquire a connection')) return true;
  return (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'ETIMEDOUT' ||
    code === 'EPIPE' ||
    code === 'PROTOCOL_CONNECTION_LOST' ||
    code === 'ER_CON_COUNT_ERROR'
  );
}
