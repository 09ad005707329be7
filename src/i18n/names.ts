// Names of catalogue data (courses, schools, majors, terms) in the page language. The stored `name` is
// the Chinese name of record; an English page shows the official English name when one is kept
// (`name_en`), and a term's English name is worked out from its academic year and semester.
import { type Language, translator } from './i18n';

/** A course, school or major name: `name_en` on English pages when present, else the stored name. */
export function localName(lang: Language, name: string, nameEn?: string | null): string {
  if (lang === 'en' && typeof nameEn === 'string' && nameEn.trim() !== '') return nameEn;
  return name;
}

export interface TermNaming {
  name: string;
  academic_year?: string | null;
  semester?: number | string | null;
  /** '2026-2027-1': read when the year and semester were not selected. */
  code?: string | null;
}

const TERM_CODE = /^(\d{4}-\d{4})-([1-3])$/;

/** The year and semester of a term, from its columns or else from a well-formed code. */
function yearAndSemester(term: TermNaming): { year: string; semester: number } | undefined {
  const semester = Number(term.semester);
  if (term.academic_year && [1, 2, 3].includes(semester)) return { year: term.academic_year, semester };
  const m = term.code ? TERM_CODE.exec(term.code) : null;
  return m ? { year: m[1]!, semester: Number(m[2]) } : undefined;
}

/** "2025-2026 Semester 2" (semester 3: "2025-2026 Summer Term") in English; the stored name in Chinese. */
export function termName(lang: Language, term: TermNaming): string {
  if (lang !== 'en') return term.name;
  const parts = yearAndSemester(term);
  if (!parts) return term.name;
  const key = parts.semester === 3 ? 'names.term.summer' : 'names.term.semester';
  return translator(lang)(key, { year: parts.year, semester: parts.semester });
}

/** Any named record: a term by its year and semester, others by `name_en` when they keep one. */
export function recordName(lang: Language, row: TermNaming & { name_en?: string | null }): string {
  return row.academic_year !== undefined && row.semester !== undefined
    ? termName(lang, row)
    : localName(lang, row.name, row.name_en);
}

/** The helpers bound to one language, as views (res.locals) and services use them. */
export function namesFor(lang: Language) {
  return {
    nameOf: (name: string, nameEn?: string | null) => localName(lang, name, nameEn),
    termName: (term: TermNaming) => termName(lang, term),
    recordName: (row: TermNaming & { name_en?: string | null }) => recordName(lang, row),
  };
}
