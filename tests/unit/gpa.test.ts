// Grade points on the Chinese 4.0 scale and credit-weighted GPA, edge by edge.
import { computeGpa, gpaByTerm, type GradedCourse } from '../../src/gpa/gpa';
import { CHINESE_4_POINT_SCALE, gradePoints, type ScaleBand } from '../../src/gpa/grade-points';

const scored = (credits: number, score: number | null): GradedCourse => ({
  credits,
  grading: 'score',
  score,
  passed: null,
});
const passFail = (credits: number, passed: boolean | null): GradedCourse => ({
  credits,
  grading: 'pass_fail',
  score: null,
  passed,
});

describe('grade points on the default scale', () => {
  it.each([
    [0, 0],
    [59.9, 0],
    [60, 1.0],
    [63.9, 1.0],
    [64, 1.5],
    [67.9, 1.5],
    [68, 2.0],
    [71.9, 2.0],
    [72, 2.3],
    [75, 2.7],
    [78, 3.0],
    [81.9, 3.0],
    [82, 3.3],
    [84.9, 3.3],
    [85, 3.7],
    [89.9, 3.7],
    [90, 4.0],
    [100, 4.0],
  ])('a score of %p earns %p', (score, points) => {
    expect(gradePoints(score)).toBe(points);
  });

  it.each([-0.1, 100.1, Number.NaN])('refuses the impossible score %p', (score) => {
    expect(() => gradePoints(score)).toThrow(RangeError);
  });

  it('takes another scale as a parameter, whatever order its bands are listed in', () => {
    const fivePoint: ScaleBand[] = [
      { min: 0, points: 0 },
      { min: 60, points: 1 },
      { min: 95, points: 5 },
    ];
    expect(gradePoints(94.9, fivePoint)).toBe(1);
    expect(gradePoints(95, fivePoint)).toBe(5);
    expect(gradePoints(59.9, fivePoint)).toBe(0);
  });

  it('keeps the default scale frozen', () => {
    expect(Object.isFrozen(CHINESE_4_POINT_SCALE)).toBe(true);
  });
});

describe('credit-weighted GPA', () => {
  it.each<[string, GradedCourse[], number | null, number, number]>([
    ['4 credits at 90 and 2 credits at 60', [scored(4, 90), scored(2, 60)], 3.0, 6, 6],
    ['3 credits at 85 and 1 credit at 59.9 (failed: no credits earned)', [scored(3, 85), scored(1, 59.9)], 2.78, 4, 3],
    ['half credits: 1.5 at 100 and 0.5 at 64', [scored(1.5, 100), scored(0.5, 64)], 3.38, 2, 2],
    ['a single course at 89.9', [scored(2, 89.9)], 3.7, 2, 2],
    ['nothing at all', [], null, 0, 0],
    ['only ungraded courses', [scored(3, null), passFail(1, null)], null, 0, 0],
    ['only pass/fail courses', [passFail(2, true), passFail(1, false)], null, 0, 2],
    ['pass/fail beside scored: counted in credits, not in the GPA', [scored(2, 78), passFail(2, true)], 3.0, 2, 4],
    ['an ungraded course is left out', [scored(4, 90), scored(4, null)], 4.0, 4, 4],
  ])('%s', (_title, courses, gpa, gpaCredits, earnedCredits) => {
    expect(computeGpa(courses)).toEqual({ gpa, gpaCredits, earnedCredits });
  });

  it('gives one GPA per term and one overall', () => {
    const courses = [
      { ...scored(4, 90), term: '2025-1' },
      { ...scored(2, 60), term: '2025-1' },
      { ...scored(3, 75), term: '2025-2' },
      { ...passFail(1, true), term: '2025-2' },
    ];
    const { terms, overall } = gpaByTerm(courses, (c) => c.term);
    expect([...terms.keys()]).toEqual(['2025-1', '2025-2']);
    expect(terms.get('2025-1')).toEqual({ gpa: 3.0, gpaCredits: 6, earnedCredits: 6 });
    expect(terms.get('2025-2')).toEqual({ gpa: 2.7, gpaCredits: 3, earnedCredits: 4 });
    // (4*4.0 + 2*1.0 + 3*2.7) / 9 = 26.1 / 9 = 2.9
    expect(overall).toEqual({ gpa: 2.9, gpaCredits: 9, earnedCredits: 10 });
  });
});
