import type { GradeGrid } from './grades.service';

/** The JSON shape of a grade grid: the section, one cell per enrolled student, and how the grades spread. */
export function toGridJson(grid: GradeGrid) {
  const { section } = grid;
  return {
    section: {
      id: section.id,
      course_code: section.course_code,
      course_name: section.course_name,
      course_name_en: section.course_name_en ?? null,
      section_no: section.section_no,
      term: section.term_code,
      credits: section.credits,
      grading: section.grading,
      grades_locked_at: section.grades_locked_at,
      locked: section.grades_locked_at !== null,
      grades_reopened_at: section.grades_reopened_at ?? null,
    },
    grades: grid.rows.map((r) => ({
      enrolment_id: r.enrolment_id,
      student_id: r.student_id,
      student_no: r.student_no,
      name: r.name,
      score: r.score,
      passed: r.passed,
      version: r.version,
    })),
    distribution: {
      graded: grid.distribution.graded,
      ungraded: grid.distribution.ungraded,
      mean: grid.distribution.mean,
      bands: grid.distribution.bands,
    },
  };
}
