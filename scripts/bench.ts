// `npm run bench`: one table of throughput and latency, through the native cluster (nginx + three nodes)
// and straight to one of its nodes, at each size of BENCH_SIZES (10,000 and 100,000 students), plus the
// course-selection rush (scripts/bench/rush.ts) and the student list's exports (scripts/bench/exports.ts);
// written as JSON too (run/bench/, or --out FILE).
// Each size gets a fresh database and a private Redis, removed afterwards, as is every process started.
// Traffic goes to 127.0.0.0/8 only; every load is bounded in time. Knobs: scripts/bench/knobs.ts, README.
import { runBenchmark } from './bench/cleanup';
import { runEndpoints } from './bench/endpoints';
import { type ExportFigure, formatExports, runExports } from './bench/exports';
import { formatImportRow, type ImportBenchRow, runImportBench } from './bench/imports';
import { readKnobs } from './bench/knobs';
import { type BenchRow, formatTable, machine, writeJson } from './bench/report';
import { nodeRssMb } from './bench/rss';
import { formatRush, runRush, type RushReport } from './bench/rush';
import { BENCH_PASSWORD } from './bench/services';
import { runStamp, startStack } from './bench/stack';

const log = (line: string) => console.log(line);

/** The rush as rows of the table: its rate is compared with the same cluster's ceiling. */
function rushRows(students: number, r: RushReport, ceiling: number | undefined): BenchRow[] {
  const row = (name: string, k: RushReport['signIn'], errors: number): BenchRow => ({
    students,
    target: 'cluster',
    name,
    path: 'rush',
    reqPerSec: k.perSecond,
    p50Ms: k.p50Ms,
    p99Ms: k.p99Ms,
    requests: k.ok,
    errors,
    non2xx: 0,
    timeouts: k.timeouts,
    socketErrors: k.socketErrors,
    ratio: ceiling ? k.perSecond / ceiling : null,
    statusCodes: k.byStatus,
  });
  const kindErrors = (k: RushReport['signIn']) =>
    k.timeouts +
    k.socketErrors -
    k.waitingRoom +
    Object.entries(k.byStatus).reduce((n, [c, v]) => n + (Number(c) >= 500 || Number(c) === 429 ? v : 0), 0);
  return [
    row('rush: sign-ins', r.signIn, kindErrors(r.signIn)),
    row('rush: sections page views', r.page, kindErrors(r.page)),
    row('rush: selections', r.select, kindErrors(r.select)),
    row('rush: staff list (during)', r.staff, kindErrors(r.staff)),
  ];
}

runBenchmark(async () => {
  const knobs = readKnobs();
  const began = Date.now();
  const rows: BenchRow[] = [];
  const sizes: object[] = [];
  const exports: ExportFigure[] = [];
  console.log(
    `bench: sizes ${knobs.sizes.join(', ')}; ${knobs.connections} connections, ${knobs.seconds} s a row; ` +
      `targets ${knobs.targets.join(', ')}; rush ${knobs.withRush ? `${knobs.rush.students} students, ${knobs.rush.seconds} s` : 'off'}`,
  );
  for (const students of knobs.sizes) {
    const stack = await startStack(knobs, students, { rush: knobs.withRush, log });
    const targets = knobs.targets.map((name) => ({
      name,
      url: name === 'cluster' ? stack.cluster.url : stack.cluster.nodes[0]!.url,
    }));
    const sizeRows = await runEndpoints({ db: stack.db, students, targets, knobs, log });
    rows.push(...sizeRows);
    // The exports (BENCH_ONLY=export for them alone): from node 1 straight, its memory watched.
    let exported: ExportFigure[] = [];
    if (knobs.withExports && (!knobs.only || knobs.only.test('export'))) {
      log(`  exports from ${stack.cluster.nodes[0]!.url} ...`);
      exported = await runExports({
        base: stack.cluster.nodes[0]!.url,
        pid: stack.cluster.pidOf(1),
        students,
        password: BENCH_PASSWORD,
        log,
      });
      exports.push(...exported);
    }
    let rush: RushReport | undefined;
    if (stack.plan) {
      log(`  rush through ${stack.cluster.url} ...`);
      rush = await runRush({
        base: stack.cluster.url,
        db: stack.db,
        plan: stack.plan,
        knobs: knobs.rush,
        staffPassword: BENCH_PASSWORD,
        log,
      });
      const ceiling = sizeRows.find((r) => r.target === 'cluster' && r.path === 'GET /healthz')?.reqPerSec;
      rows.push(...rushRows(students, rush, ceiling));
      console.log(formatRush(rush));
    }
    const rssMb = nodeRssMb(stack.cluster);
    log(
      `  node RSS after the run: ${Object.entries(rssMb)
        .map(([n, mb]) => `${n} ${mb} MB`)
        .join(', ')}`,
    );
    sizes.push({
      students,
      database: stack.databaseName,
      seedSeconds: stack.seedSeconds,
      rush,
      exports: exported,
      nodeRssMb: rssMb,
    });
    await stack.stop();
  }

  let imports: ImportBenchRow[] = [];
  if (knobs.withImports) imports = await runImportBench({ serverUrl: knobs.databaseUrl, rows: knobs.importRows, log });

  const minutes = (Date.now() - began) / 60_000;
  console.log(
    `\nnpm run bench (${knobs.connections} connections, ${knobs.seconds} s a row), ${minutes.toFixed(1)} min:\n`,
  );
  console.log(formatTable(rows));
  if (exports.length > 0) console.log(`\nexports (one node, straight):\n\n${formatExports(exports)}`);
  if (imports.length > 0)
    console.log(`\nimports (MariaDB, one process each):\n${imports.map(formatImportRow).join('\n')}`);
  const written = writeJson('bench', runStamp, {
    kind: 'bench',
    at: new Date().toISOString(),
    machine: machine(),
    settings: { ...knobs, only: knobs.only?.source },
    minutes: Math.round(minutes * 10) / 10,
    rows,
    sizes,
    imports,
  });
  console.log(`\nJSON: ${written.join(', ')}`);
});
