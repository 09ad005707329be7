// How a section's recorded grades spread: score bands (or pass / fail / not yet graded), count and mean.
// Worked out from the grid rows already loaded, so the page runs no extra query.
import type { TFunction } from 'i18next';
import { barChart, type BarChartModel, type ChartTone, formatValue } from '../charts/bar-chart';
import type { Grading } from './grades.repository';

export interface DistributionBand {
  band: string;
  count: number;
}

export interface GradeDistribution {
  grading: Grading;
  /** Students enrolled in the section, graded or not. */
  students: number;
  graded: number;
  ungraded: number;
  /** The mean recorded score, to two decimals; null without scores or for pass/fail grading. */
  mean: number | null;
  bands: DistributionBand[];
}

/** Lower bounds, highest first; a score falls in the first band it reaches (89.5 is in 80-89). */
const SCORE_BANDS: { band: string; from: number }[] = [
  { band: '90-100', from: 90 },
  { band: '80-89', from: 80 },
  { band: '70-79', from: 70 },
  { band: '60-69', from: 60 },
  { band: 'below-60', from: -Infinity },
];

export function gradeDistribution(
  rows: readonly { score: number | null; passed: boolean | null }[],
  grading: Grading,
): GradeDistribution {
  if (grading === 'pass_fail') {
    const pass = rows.filter((r) => r.passed === true).length;
    const fail = rows.filter((r) => r.passed === false).length;
    const ungraded = rows.length - pass - fail;
    return {
      grading,
      students: rows.length,
      graded: pass + fail,
      ungraded,
      mean: null,
      bands: [
        { band: 'pass', count: pass },
        { band: 'fail', count: fail },
        { band: 'not-graded', count: ungraded },
      ],
    };
  }
  const scores = rows.map((r) => r.score).filter((s): s is number => s !== null && Number.isFinite(s));
  const counts = SCORE_BANDS.map(({ band }) => ({ band, count: 0 }));
  for (const score of scores) counts[SCORE_BANDS.findIndex((b) => score >= b.from)]!.count += 1;
  const mean = scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100 : null;
  return {
    grading,
    students: rows.length,
    graded: scores.length,
    ungraded: rows.length - scores.length,
    mean,
    bands: counts,
  };
}

const TONES: Record<string, ChartTone> = {
  'below-60': 'danger',
  pass: 'success',
  fail: 'danger',
  'not-graded': 'muted',
};

/** The chart of a distribution, labelled in the reader's language; null when nothing is graded yet. */
export function distributionChart(d: GradeDistribution, t: TFunction, lang: string) {
  if (d.graded === 0) return null;
  const chart: BarChartModel = barChart({
    items: d.bands.map((b) => ({
      key: b.band,
      label: t(`grades.distribution.bands.${b.band}`),
      value: b.count,
      tone: TONES[b.band] ?? 'primary',
    })),
    locale: lang,
    share: true,
  });
  const mean = d.mean === null ? null : formatValue(d.mean, 'count', lang);
  return { chart, mean, lead: t(`grades.distribution.lead_${d.grading}`, { count: d.graded, mean }) };
}
