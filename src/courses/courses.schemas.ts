import { z } from 'zod';
import { optionalId, optionalText, requiredText } from '../lib/schema-helpers';
import { archivedFlag, paging, searchText } from '../records/record.schemas';
import { sortFields } from '../lib/sorting';

export const GRADINGS = ['score', 'pass_fail'] as const;
export const COURSE_FIELDS = ['code', 'name', 'name_en', 'credits', 'department_id', 'description', 'grading'] as const;

/** Credits: 0.5 to 20 in steps of one decimal (the column is decimal(3,1)). */
const credits = z.preprocess(
  (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : Number(v.trim())) : v),
  z
    .number({ error: (issue) => (issue.input === undefined ? 'validation.required' : 'catalogue.validation.credits') })
    .min(0.5, { error: 'catalogue.validation.credits' })
    .max(20, { error: 'catalogue.validation.credits' })
    .refine((n) => Math.abs(n * 10 - Math.round(n * 10)) < 1e-9, { error: 'catalogue.validation.credits_step' })
    .transform((n) => Math.round(n * 10) / 10),
);

export const courseInputSchema = z.object({
  // Upper-cased so uniqueness is the same on MySQL (case-insensitive collation) and SQLite.
  code: requiredText(16)
    .regex(/^[A-Za-z0-9-]{2,16}$/, { error: 'catalogue.validation.course_code' })
    .transform((s) => s.toUpperCase()),
  name: requiredText(100),
  /** The official English name, shown on English pages and transcripts; blank means none. */
  name_en: optionalText(200),
  credits,
  department_id: optionalId,
  description: optionalText(2000, { multiline: true }),
  grading: z.preprocess(
    (v) => (v === undefined || v === '' ? 'score' : v),
    z.enum(GRADINGS, { error: 'catalogue.validation.grading' }),
  ),
});
export type CourseInput = z.output<typeof courseInputSchema>;

/** Columns the course list sorts by (an unknown name falls back to the code). */
export const COURSE_SORTS = ['code', 'name', 'credits', 'department', 'grading'] as const;

export const courseListQuerySchema = z.object({
  q: searchText,
  archived: archivedFlag,
  ...sortFields({ columns: COURSE_SORTS, fallback: 'code' }),
  ...paging(),
});
export type CourseListQuery = z.output<typeof courseListQuerySchema>;
