// Grade points from a 0-100 score, on a scale given as data so another university's scale is a parameter.

/** One band of a scale: every score from `min` (inclusive) up to the next band's `min` earns `points`. */
export interface ScaleBand {
  min: number;
  points: number;
}

/**
 * The common Chinese 4.0 scale. Scores carry one decimal, and each band starts at its lower bound
 * inclusive, so a score between two listed ranges belongs to the lower band: 89.9 -> 3.7, 59.9 -> 0.
 */
export const CHINESE_4_POINT_SCALE: readonly ScaleBand[] = Object.freeze([
  { min: 90, points: 4.0 },
  { min: 85, points: 3.7 },
  { min: 82, points: 3.3 },
  { min: 78, points: 3.0 },
  { min: 75, points: 2.7 },
  { min: 72, points: 2.3 },
  { min: 68, points: 2.0 },
  { min: 64, points: 1.5 },
  { min: 60, points: 1.0 },
  { min: 0, points: 0 },
]);

/** The score a course needs to be passed (and its credits earned), on the same 0-100 range. */
export const PASS_SCORE = 60;

export function gradePoints(score: number, scale: readonly ScaleBand[] = CHINESE_4_POINT_SCALE): number {
  if (!Number.isFinite(score) || score < 0 || score > 100) throw new RangeError(`score out of range: ${score}`);
  // Highest band first, whatever order the caller listed them in.
  const band = [...scale].sort((a, b) => b.min - a.min).find((b) => score >= b.min);
  return band ? band.points : 0;
}
