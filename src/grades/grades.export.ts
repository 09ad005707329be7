// A section's grade grid as a file: number, name and grade as the grid shows them, with the grade points
// a score earns on the 4.0 scale (pass / fail courses earn none: they count for credits, not the GPA).
import type { TFunction } from 'i18next';
import { gradePoints } from '../gpa/grade-points';
import type { ExportColumn } from '../lib/export';
import type { GridRow, SectionForGrades } from './grades.repository';

export function gradeColumns(t: TFunction, section: SectionForGrades): ExportColumn<GridRow>[] {
  const grade =
    section.grading === 'score'
      ? (r: GridRow) => r.score
      : (r: GridRow) => (r.passed === null ? null : t(r.passed ? 'grades.pass' : 'grades.fail'));
  return [
    { heading: t('student.student_no'), value: (r) => r.student_no, width: 16 },
    { heading: t('student.name'), value: (r) => r.name, width: 16 },
    { heading: t(`grades.grading.${section.grading}`), value: grade, width: 16 },
    {
      heading: t('me.grade_points'),
      value: (r) => (section.grading === 'score' && r.score !== null ? gradePoints(r.score) : null),
    },
  ];
}
