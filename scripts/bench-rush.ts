// `npm run bench:rush`: the course-selection rush on its own (scripts/bench/rush.ts): a fresh database of
// BENCH_RUSH_DB_STUDENTS students, a private Redis and the native cluster on the benchmark's ports, all
// removed afterwards. Prints the figures and writes them as JSON (run/bench/, or --out FILE).
import { runBenchmark } from './bench/cleanup';
import { readKnobs } from './bench/knobs';
import { machine, writeJson } from './bench/report';
import { nodeRssMb } from './bench/rss';
import { formatRush, runRush } from './bench/rush';
import { BENCH_PASSWORD } from './bench/services';
import { runStamp, startStack } from './bench/stack';

const log = (line: string) => console.log(line);

runBenchmark(async () => {
  const knobs = readKnobs();
  const stack = await startStack(knobs, knobs.rush.databaseStudents, { rush: true, log });
  log(
    `rush: ${knobs.rush.students} students, ${knobs.rush.concurrency} at a time, at most ${knobs.rush.seconds} s ...`,
  );
  const report = await runRush({
    base: stack.cluster.url,
    db: stack.db,
    plan: stack.plan!,
    knobs: knobs.rush,
    staffPassword: BENCH_PASSWORD,
    log,
  });
  const rssMb = nodeRssMb(stack.cluster);
  await stack.stop();
  console.log(`\n${formatRush(report)}`);
  console.log(
    `  node RSS     ${Object.entries(rssMb)
      .map(([n, mb]) => `${n} ${mb} MB`)
      .join(', ')}`,
  );
  const written = writeJson('bench-rush', runStamp, {
    kind: 'bench-rush',
    at: new Date().toISOString(),
    machine: machine(),
    settings: knobs.rush,
    databaseStudents: knobs.rush.databaseStudents,
    report,
    nodeRssMb: rssMb,
  });
  console.log(`\nJSON: ${written.join(', ')}`);
});
