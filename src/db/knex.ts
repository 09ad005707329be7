// Builds the knex instance for either MySQL (5.7 / MariaDB) or the embedded SQLite file.
import fs from 'node:fs';
import path from 'node:path';
import knex, { Knex } from 'knex';
import type { DatabaseConfig } from '../config';

/** MySQL 5.7's default sql_mode, set on every connection so MariaDB behaves like 5.7 in strictness. */
export const MYSQL57_SQL_MODE = [
  'ONLY_FULL_GROUP_BY',
  'STRICT_TRANS_TABLES',
  'NO_ZERO_IN_DATE',
  'NO_ZERO_DATE',
  'ERROR_FOR_DIVISION_BY_ZERO',
  'NO_ENGINE_SUBSTITUTION',
].join(',');

export const MIGRATIONS_DIR = path.resolve(__dirname, '../../migrations');

export type Db = Knex;

function migrationConfig(): Knex.MigratorConfig {
  // Compiled code runs the .js migrations under dist/; ts-jest and tsx run the .ts sources.
  const compiled = __filename.endsWith('.js');
  return {
    directory: MIGRATIONS_DIR,
    loadExtensions: compiled ? ['.js'] : ['.ts'],
    tableName: 'knex_migrations',
  };
}

export interface DbOptions {
  poolMax?: number;
  /**
   * MariaDB only (MySQL has no such setting): a transaction idle this long is rolled back and its
   * connection closed, so a stalled node (SIGSTOP, a long GC pause) holds no locks that the retry of its
   * request on another node would wait for. Set for the nodes only; migrations and seeds keep the default.
   */
  idleTransactionSeconds?: number;
}

/** ER_UNKNOWN_SYSTEM_VARIABLE: MySQL, which has no idle_transaction_timeout. */
const UNKNOWN_SYSTEM_VARIABLE = 1193;

export function createDb(config: DatabaseConfig, options: DbOptions = {}): Db {
  if (config.client === 'mysql') {
    const idle = options.idleTransactionSeconds ?? 0;
    return knex({
      client: 'mysql2',
      connection: {
        uri: config.url,
        charset: 'utf8mb4',
        timezone: 'Z',
        dateStrings: true,
        supportBigNumbers: true,
        connectTimeout: 5_000,
      } as Knex.MySql2ConnectionConfig,
      pool: {
        min: 0,
        max: options.poolMax ?? 10,
        afterCreate(conn: MysqlCallbackConnection, done: (err: Error | null, conn: unknown) => void) {
          conn.query(`SET SESSION sql_mode = '${MYSQL57_SQL_MODE}', time_zone = '+00:00'`, (err) => {
            if (err || idle <= 0) return done(err, conn);
            conn.query(`SET SESSION idle_transaction_timeout = ${Math.floor(idle)}`, (idleErr) =>
              done(idleErr && idleErr.errno !== UNKNOWN_SYSTEM_VARIABLE ? idleErr : null, conn),
            );
          });
        },
      },
      acquireConnectionTimeout: 5_000,
      migrations: migrationConfig(),
    });
  }

  if (config.filename !== ':memory:') {
    fs.mkdirSync(path.dirname(config.filename), { recursive: true });
  }
  return knex({
    client: 'better-sqlite3',
    connection: { filename: config.filename },
    useNullAsDefault: true,
    pool: {
      afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) {
        conn.pragma('foreign_keys = ON');
        conn.pragma('busy_timeout = 5000');
        if (config.filename !== ':memory:') conn.pragma('journal_mode = WAL');
        done(null, conn);
      },
    },
    migrations: migrationConfig(),
  });
}

interface MysqlCallbackConnection {
  query(sql: string, cb: (err: (Error & { errno?: number }) | null) => void): void;
}
interface SqliteConnection {
  pragma(sql: string): unknown;
}

export function isMysql(db: Db): boolean {
  return db.client.config.client === 'mysql2';
}
