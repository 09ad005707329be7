// One import of `npm run bench`'s import steps (scripts/bench/imports.ts), in a process of its own and on
// the built code (dist/, as a node runs it), so its peak RSS is the import's: one JSON line on stdout.
// Usage: node scripts/bench/import-child.js <database url> <file> <dry_run|commit>
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const dist = path.resolve(__dirname, '../../dist/src');
const { loadConfig } = require(path.join(dist, 'config'));
const { buildServices } = require(path.join(dist, 'features'));
const { createDb } = require(path.join(dist, 'db/knex'));
const { UsersRepository } = require(path.join(dist, 'users/users.repository'));

async function main() {
  const [databaseUrl, file, mode] = process.argv.slice(2);
  const config = loadConfig({
    NODE_ENV: 'development',
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    NODE_ID: 'bench',
  });
  const db = createDb(config.database, { poolMax: 2 });
  try {
    const { imports } = buildServices({ config, db, users: new UsersRepository(db) });
    const startRssMb = process.memoryUsage().rss / 1048576;
    const began = performance.now();
    const report = await imports.run({
      kind: 'students',
      mode,
      actor: { actorId: null, actorUsername: 'bench', requestId: null },
      lang: 'zh-CN',
      file: { path: file, originalName: path.basename(file) },
    });
    const seconds = (performance.now() - began) / 1000;
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    const line = {
      seconds,
      peakRssMb,
      startRssMb,
      counts: report.counts,
      errors: report.errors.length,
      total: report.total,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
