// `npm run migrate` / `npm run seed` (and `rollback`): the one-shot database steps of a deploy.
import { ConfigError, loadConfig } from './config';
import { seedDemo } from '../seeds/demo';
import { createDb } from './db/knex';
import { migrateLatest } from './db/migrate';

async function run(command: string | undefined): Promise<void> {
  const config = loadConfig(process.env, 'cli');
  const db = createDb(config.database);
  try {
    switch (command) {
      case 'migrate': {
        const applied = await migrateLatest(db);
        console.log(
          applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'already up to date',
        );
        break;
      }
      case 'rollback': {
        const [, undone] = (await db.migrate.rollback()) as [number, string[]];
        console.log(`rolled back ${undone.length} migration(s)`);
        break;
      }
      case 'seed': {
        const started = process.hrtime.bigint();
        const result = await seedDemo(db, { demoPassword: config.demoPassword, students: config.seedStudents });
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const rate = seconds > 0 ? Math.round(result.students / seconds) : 0;
        console.log(
          `seeded ${result.students} students in ${seconds.toFixed(2)} s (${rate} rows/s), ${result.accounts} demo account(s) created`,
        );
        if (!config.demoPassword) console.log('NODE_ENV=production: no demo accounts were made');
        break;
      }
      default:
        throw new ConfigError('usage: cli.js migrate|rollback|seed');
    }
  } finally {
    await db.destroy();
  }
}

run(process.argv[2]).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
