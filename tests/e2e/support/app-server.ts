// The real app for one journey file: a fresh SQLite file in a temp dir, migrated and seeded with the demo
// accounts, served by createApp on 127.0.0.1 and an OS-chosen port (nothing else on the machine is touched).
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import pino from 'pino';
import { createApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { createDb } from '../../../src/db/knex';
import { migrateLatest } from '../../../src/db/migrate';
import { seedDemo } from '../../../seeds/demo';

export const DEMO_PASSWORD = 'demo-password';
// Enough for a few pages of the list; the journeys make the rows they assert on.
const SEED_STUDENTS = 60;

export interface RunningApp {
  baseUrl: string;
  db: Knex;
  stop: () => Promise<void>;
}

/**
 * `students`: how many demo students to seed (the README's pictures use what `npm start` seeds); `env`:
 * settings of this journey file's app on top of the journeys' own.
 */
export async function startApp(options: { students?: number; env?: Record<string, string> } = {}): Promise<RunningApp> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sis-e2e-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    NODE_ID: 'e2e-node',
    SQLITE_FILE: path.join(dir, 'sis.sqlite3'),
    DEMO_PASSWORD,
    // One node and one user: a busy test machine (event-loop lag from other processes) must not make the
    // journeys' only node refuse its only user. Shedding is exercised by tests/cluster behind nginx.
    OVERLOAD_MAX_LAG_MS: '0',
    ...options.env,
  });
  const db = createDb(config.database);
  await migrateLatest(db);
  await seedDemo(db, { demoPassword: DEMO_PASSWORD, students: options.students ?? SEED_STUDENTS });

  const app = createApp({ config, db, logger: pino({ level: 'silent' }) });
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    db,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.destroy();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
