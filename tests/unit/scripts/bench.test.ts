// The benchmarks' own logic, without a cluster: their knobs refuse bad values with the variable's name,
// the rush's plan gives each student three or four sections at distinct times, the checks after the
// rush find an overbooked section and a wait list out of commit order, and the table lines up.
import { formatExports } from '../../../scripts/bench/exports';
import { readKnobs } from '../../../scripts/bench/knobs';
import { type BenchRow, formatTable } from '../../../scripts/bench/report';
import { checkSeats, checkWaitLists, missingSeats, type PlaceRow } from '../../../scripts/bench/rush-checks';
import { planPicks } from '../../../scripts/bench/rush-seed';

const saved = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('BENCH_')) delete process.env[key];
  Object.assign(process.env, saved);
});

describe('the benchmark knobs', () => {
  it('default to 10,000 and 100,000 students, 32 connections, 3,000 rush students 200 at a time', () => {
    const knobs = readKnobs();
    expect(knobs.sizes).toEqual([10_000, 100_000]);
    expect(knobs.connections).toBe(32);
    expect(knobs.targets).toEqual(['cluster', 'node']);
    expect(knobs.nginxPort).toBe(18_484);
    expect(knobs.rush).toMatchObject({ students: 3_000, concurrency: 200, sections: 60, hotSections: 20 });
    expect(knobs.withExports).toBe(true);
  });

  it('skip the exports with BENCH_EXPORTS=0', () => {
    process.env.BENCH_EXPORTS = '0';
    expect(readKnobs().withExports).toBe(false);
  });

  it('measure imports of 100,000 rows unless told otherwise', () => {
    expect(readKnobs()).toMatchObject({ withImports: true, importRows: 100_000 });
    Object.assign(process.env, { BENCH_IMPORTS: '0', BENCH_IMPORT_ROWS: '2_000' });
    expect(readKnobs()).toMatchObject({ withImports: false, importRows: 2_000 });
  });

  it('read sizes, durations and targets from the environment', () => {
    Object.assign(process.env, { BENCH_SIZES: '10_000', BENCH_SECONDS: '5', BENCH_TARGETS: 'node' });
    expect(readKnobs()).toMatchObject({ sizes: [10_000], seconds: 5, targets: ['node'] });
  });

  it.each([
    ['BENCH_SIZES', '10000,lots', /BENCH_SIZES/],
    ['BENCH_SECONDS', '0', /BENCH_SECONDS must be a whole number >= 1/],
    ['BENCH_CONNECTIONS', '2.5', /BENCH_CONNECTIONS/],
    ['BENCH_TARGETS', 'cluster,moon', /BENCH_TARGETS/],
  ])('refuse %s=%s, naming it', (name, value, message) => {
    process.env[name] = value;
    expect(() => readKnobs()).toThrow(message);
  });
});

describe("the rush's plan", () => {
  const shape = Array.from({ length: 60 }, (_, i) => ({ hot: i < 20, slot: i % 25 }));
  const plans = planPicks(3_000, shape, 7);

  it('gives each student three or four sections, one or two of them oversubscribed, never two at once', () => {
    for (const picks of plans) {
      expect(picks.length).toBeGreaterThanOrEqual(3);
      expect(picks.length).toBeLessThanOrEqual(4);
      expect(new Set(picks.map((i) => shape[i]!.slot)).size).toBe(picks.length);
      const hot = picks.filter((i) => shape[i]!.hot).length;
      expect(hot).toBeGreaterThanOrEqual(1);
      expect(hot).toBeLessThanOrEqual(2);
    }
  });

  it('is the same plan every time (a run can be compared with the last one)', () => {
    expect(planPicks(3_000, shape, 7)).toEqual(plans);
  });
});

const place = (id: number, section: number, student: number, status: string, seq: number | null = null): PlaceRow => ({
  id,
  section_id: section,
  student_id: student,
  status,
  waitlist_seq: seq,
});

describe('the checks after the rush', () => {
  it('count seats above capacity and a seat counter that disagrees with the rows', () => {
    const rows = [place(1, 10, 1, 'enrolled'), place(2, 10, 2, 'enrolled'), place(3, 11, 1, 'enrolled')];
    expect(
      checkSeats(
        [
          { id: 10, capacity: 1, enrolled_count: 2 },
          { id: 11, capacity: 5, enrolled_count: 0 },
        ],
        rows,
      ),
    ).toEqual({ overbookedSeats: 1, overbookedSections: 1, counterMismatches: 1 });
  });

  it('accept wait lists numbered in commit order whose told positions match', () => {
    const rows = [place(1, 10, 1, 'enrolled'), place(2, 10, 2, 'waitlisted', 1), place(5, 10, 3, 'waitlisted', 2)];
    const told = [
      { sectionId: 10, studentId: 2, position: 1 },
      { sectionId: 10, studentId: 3, position: 2 },
    ];
    expect(checkWaitLists(rows, told)).toMatchObject({
      sectionsWithWaitList: 1,
      waitlisted: 2,
      outOfOrderSections: 0,
      reportedMismatches: 0,
      inCommitOrder: true,
    });
  });

  it('find a wait list whose numbers run against commit order, repeat, or differ from what students were told', () => {
    const againstOrder = [place(2, 10, 2, 'waitlisted', 2), place(3, 10, 3, 'waitlisted', 1)];
    expect(checkWaitLists(againstOrder, [])).toMatchObject({ outOfOrderSections: 1, inCommitOrder: false });
    const repeated = [place(2, 10, 2, 'waitlisted', 1), place(3, 10, 3, 'waitlisted', 1)];
    expect(checkWaitLists(repeated, [])).toMatchObject({ duplicateSeqs: 1, inCommitOrder: false });
    const ordered = [place(2, 10, 2, 'waitlisted', 1), place(3, 10, 3, 'waitlisted', 2)];
    const told = [{ sectionId: 10, studentId: 3, position: 1 }];
    expect(checkWaitLists(ordered, told)).toMatchObject({ reportedMismatches: 1, inCommitOrder: false });
  });

  it('count acknowledged seats the database does not hold', () => {
    const rows = [place(1, 10, 1, 'enrolled'), place(2, 10, 2, 'waitlisted', 1)];
    const acknowledged = [
      { sectionId: 10, studentId: 1 },
      { sectionId: 10, studentId: 2 },
    ];
    expect(missingSeats(rows, acknowledged)).toBe(1);
  });
});

describe('the table', () => {
  it('lines its columns up, Chinese search words included', () => {
    const row = (name: string, reqPerSec: number): BenchRow => ({
      students: 100_000,
      target: 'cluster',
      name,
      path: 'GET /',
      reqPerSec,
      p50Ms: 12,
      p99Ms: 140,
      requests: 1000,
      errors: 0,
      non2xx: 0,
      timeouts: 0,
      socketErrors: 0,
      ratio: 0.25,
      statusCodes: { 200: 1000 },
    });
    const lines = formatTable([row('GET /healthz (ceiling)', 4000), row('name search q=王', 20.5)]).split('\n');
    const width = (s: string) => [...s].length + [...s].filter((c) => /[\u4e00-\u9fff]/.test(c)).length;
    expect(new Set(lines.map(width)).size).toBe(1);
    expect(lines[3]).toContain('20.5');
    expect(lines[2]).toContain('100,000');
  });
});

describe('the exports table', () => {
  it('gives seconds, size, rows and the node memory of each download, lined up', () => {
    const lines = formatExports([
      {
        students: 100_000,
        format: 'csv',
        seconds: 3.456,
        rows: 100_003,
        megabytes: 17.2,
        status: 200,
        rssBeforeMb: 120,
        peakRssMb: 150,
      },
      {
        students: 100_000,
        format: 'xlsx',
        seconds: 11,
        rows: null,
        megabytes: 9.8,
        status: 200,
        rssBeforeMb: 130,
        peakRssMb: null,
      },
    ]).split('\n');
    expect(lines[0]).toMatch(/^students +export +seconds +MB +rows +RSS before +peak RSS$/);
    expect(lines[2]).toMatch(/^ *100,000 +csv +3\.46 +17\.2 +100,003 +120 MB +150 MB$/);
    expect(lines[3]).toMatch(/^ *100,000 +xlsx +11\.00 +9\.8 +130 MB +\? *$/);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });
});
