// CI's closing line: a suite CI had to stop counts as a failure and says why.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SCRIPT = path.resolve(__dirname, '../../../scripts/ci-summary.js');
const report = (passed: number, failed: number) =>
  JSON.stringify({
    numPassedTests: passed,
    numFailedTests: failed,
    numTotalTests: passed + failed,
    numPendingTests: 0,
    numTodoTests: 0,
    numRuntimeErrorTestSuites: 0,
  });

describe('the CI summary', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sis-ci-summary-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function summary(...files: string[]) {
    const run = spawnSync('node', [SCRIPT, ...files.map((f) => path.join(dir, f))], { encoding: 'utf8' });
    return { status: run.status, lines: run.stdout.trim().split('\n') };
  }

  it('totals the reports', () => {
    fs.writeFileSync(path.join(dir, 'a.json'), report(3, 0));
    fs.writeFileSync(path.join(dir, 'b.json'), report(2, 1));
    const { status, lines } = summary('a.json', 'b.json');
    expect(lines.at(-1)).toBe('5 passed, 1 failed');
    expect(status).toBe(1);
  });

  it('counts a suite that finished but did not exit as one more failure, with the reason', () => {
    fs.writeFileSync(path.join(dir, 'services.json'), report(820, 0));
    fs.writeFileSync(path.join(dir, 'services.stopped'), 'finished its run but had not exited 30 s later\n');
    const { status, lines } = summary('services.json');
    expect(lines).toContain(
      `problem: ${path.join(dir, 'services.json')}: stopped by CI: finished its run but had not exited 30 s later`,
    );
    expect(lines.at(-1)).toBe('820 passed, 1 failed');
    expect(status).toBe(1);
  });

  it('counts a suite stopped before it wrote a report once, with the reason', () => {
    fs.writeFileSync(path.join(dir, 'e2e.stopped'), 'still running after its limit of 900 s');
    const { lines } = summary('e2e.json');
    expect(lines).toContain(
      `problem: ${path.join(dir, 'e2e.json')}: stopped by CI: still running after its limit of 900 s`,
    );
    expect(lines.at(-1)).toBe('0 passed, 1 failed');
  });
});
