// Credit-weighted GPA over a set of graded courses, per term and overall.
import { CHINESE_4_POINT_SCALE, gradePoints, PASS_SCORE, type ScaleBand } from './grade-points';

export interface GradedCourse {
  credits: number;
  grading: 'score' | 'pass_fail';
  /** null while no grade is published. */
  score: number | null;
  passed: boolean | null;
}

export interface GpaSummary {
  /** Rounded to two decimals; null when no scored course has a grade yet. */
  gpa: number | null;
  /** Credits of the scored courses the GPA is computed over. */
  gpaCredits: number;
  /** Credits of passed courses, pass/fail ones included. */
  earnedCredits: number;
}

export function isGraded(course: GradedCourse): boolean {
  return course.grading === 'pass_fail' ? course.passed !== null : course.score !== null;
}

export function isPassed(course: GradedCourse): boolean {
  return course.grading === 'pass_fail' ? course.passed === true : course.score !== null && course.score >= PASS_SCORE;
}

/** Pass/fail courses count towards earned credits when passed, never towards the GPA. */
export function computeGpa(
  courses: readonly GradedCourse[],
  scale: readonly ScaleBand[] = CHINESE_4_POINT_SCALE,
): GpaSummary {
  let weighted = 0;
  let gpaCredits = 0;
  let earnedCredits = 0;
  for (const course of courses) {
    if (!isGraded(course)) continue;
    if (isPassed(course)) earnedCredits += course.credits;
    if (course.grading === 'score' && course.credits > 0) {
      weighted += course.credits * gradePoints(course.score!, scale);
      gpaCredits += course.credits;
    }
  }
  return {
    gpa: gpaCredits > 0 ? round(weighted / gpaCredits, 2) : null,
    gpaCredits: round(gpaCredits, 1),
    earnedCredits: round(earnedCredits, 1),
  };
}

/** One summary per key (a term), in the order the keys first appear, plus the overall one. */
export function gpaByTerm<K, C extends GradedCourse>(
  courses: readonly C[],
  termOf: (course: C) => K,
  scale: readonly ScaleBand[] = CHINESE_4_POINT_SCALE,
): { terms: Map<K, GpaSummary>; overall: GpaSummary } {
  const groups = new Map<K, C[]>();
  for (const course of courses) {
    const key = termOf(course);
    const list = groups.get(key) ?? [];
    list.push(course);
    groups.set(key, list);
  }
  const terms = new Map<K, GpaSummary>();
  for (const [key, list] of groups) terms.set(key, computeGpa(list, scale));
  return { terms, overall: computeGpa(courses, scale) };
}

function round(value: number, places: number): number {
  const factor = 10 ** places;
  return Math.round((value + Number.EPSILON) * factor) / factor;
}
