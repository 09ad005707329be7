#!/usr/bin/env node
// Totals jest --json reports into the one closing line CI reads: "N passed, N failed".
// A report with no tests, a skipped (pending) test, or a missing report counts as a failure, and so does a
// suite .ci/run had to stop (a `<report>.stopped` file beside the report says why: it ran past its time
// limit, or it finished its run but did not exit).
const fs = require('node:fs');

let passed = 0;
let failed = 0;
const problems = [];
for (const file of process.argv.slice(2)) {
  const stoppedFile = file.replace(/\.json$/, '.stopped');
  const stopped = fs.existsSync(stoppedFile) ? fs.readFileSync(stoppedFile, 'utf8').trim() : undefined;
  if (stopped) {
    problems.push(`${file}: stopped by CI: ${stopped}`);
    failed += 1;
  }
  if (!fs.existsSync(file)) {
    if (!stopped) {
      problems.push(`${file}: no report (the suite did not run)`);
      failed += 1;
    }
    continue;
  }
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  if (report.numTotalTests === 0) problems.push(`${file}: ran no test`);
  if (report.numPendingTests + report.numTodoTests > 0)
    problems.push(`${file}: ${report.numPendingTests} skipped test(s)`);
  if (report.numRuntimeErrorTestSuites > 0)
    problems.push(`${file}: ${report.numRuntimeErrorTestSuites} suite(s) failed to run`);
  if (report.numRuntimeErrorTestSuites > 0 || report.numTotalTests === 0)
    failed += Math.max(1, report.numRuntimeErrorTestSuites);
  console.log(
    `${file}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped`,
  );
}
for (const p of problems) console.log(`problem: ${p}`);
const ok = failed === 0 && problems.length === 0;
console.log(`${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
