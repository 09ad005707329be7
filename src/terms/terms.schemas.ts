// Terms: code 2026-2027-1 = academic year + semester; dates; an optional course-selection window.
import { z } from 'zod';
import { DEFAULT_TIME_ZONE } from '../i18n/format';
import { isoDate, requiredInt, requiredText } from '../lib/schema-helpers';
import { addDays, instantToUtc, sqlNow, startOfDayUtc, WALL_TIME_PATTERN } from '../lib/time';

/**
 * A window time as the API takes it -> stored UTC 'YYYY-MM-DD HH:MM:SS'. ISO 8601 with an offset or Z
 * ('2026-09-01T08:00:00+08:00') is that instant; 'YYYY-MM-DD HH:MM[:SS]' or 'YYYY-MM-DDTHH:MM' without one
 * is UTC, as it always was. (Form posts are turned from the university's wall time into UTC before this:
 * see `fromForm` in terms.def.ts.)
 */
export function normaliseDateTime(text: string): string | undefined {
  const withOffset = instantToUtc(text);
  if (withOffset !== undefined) return withOffset;
  const m = WALL_TIME_PATTERN.exec(text);
  if (!m) return undefined;
  const value = `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6] ?? '00'}`;
  const d = new Date(`${value.replace(' ', 'T')}Z`);
  return !Number.isNaN(d.getTime()) && sqlNow(d) === value ? value : undefined;
}

const trimmed = (v: unknown) => {
  if (typeof v !== 'string') return v ?? undefined;
  return v.trim() === '' ? undefined : v.trim();
};

const requiredDate = z.preprocess(trimmed, z.string({ error: 'validation.required' }).pipe(isoDate));

const optionalDateTime = z.preprocess(
  (v) => trimmed(v) ?? null,
  z
    .string({ error: 'terms.validation.datetime' })
    .transform((s, ctx) => {
      const value = normaliseDateTime(s);
      if (value === undefined) {
        ctx.addIssue({ code: 'custom', message: 'terms.validation.datetime' });
        return z.NEVER;
      }
      return value;
    })
    .nullable(),
);

/** The term rules; the window's bounds are calendar days in `timeZone`, the university's (config TIME_ZONE). */
export const termInputSchema = (timeZone: string = DEFAULT_TIME_ZONE) =>
  z
    .object({
      code: requiredText(16).regex(/^\d{4}-\d{4}-[1-3]$/, { error: 'terms.validation.code_format' }),
      academic_year: requiredText(9)
        .regex(/^\d{4}-\d{4}$/, { error: 'terms.validation.academic_year' })
        .refine((s) => Number(s.slice(5)) === Number(s.slice(0, 4)) + 1, { error: 'terms.validation.academic_year' }),
      semester: requiredInt(1, 3, 'terms.validation.semester'),
      name: requiredText(100),
      starts_on: requiredDate,
      ends_on: requiredDate,
      selection_opens_at: optionalDateTime,
      selection_closes_at: optionalDateTime,
    })
    .superRefine((v, ctx) => {
      const issue = (field: string, key: string) => ctx.addIssue({ code: 'custom', path: [field], message: key });
      if (v.code !== `${v.academic_year}-${v.semester}`) issue('code', 'terms.validation.code_mismatch');
      if (v.ends_on <= v.starts_on) issue('ends_on', 'terms.validation.ends_before_start');
      if (addDays(v.starts_on, 366) < v.ends_on) issue('ends_on', 'terms.validation.too_long');
      const opens = v.selection_opens_at;
      const closes = v.selection_closes_at;
      if (opens === null && closes !== null) issue('selection_opens_at', 'terms.validation.window_both');
      if (closes === null && opens !== null) issue('selection_closes_at', 'terms.validation.window_both');
      if (opens === null || closes === null) return;
      if (opens >= closes) issue('selection_closes_at', 'terms.validation.window_order');
      // The window sits around the term: it may open up to half a year before and must close by its end,
      // days that begin and end at midnight on the university's clock (stored values are UTC).
      const afterLastDay = startOfDayUtc(addDays(v.ends_on, 1), timeZone);
      if (afterLastDay !== undefined && closes >= afterLastDay)
        issue('selection_closes_at', 'terms.validation.window_after_term');
      const earliest = startOfDayUtc(addDays(v.starts_on, -183), timeZone);
      if (earliest !== undefined && opens < earliest) issue('selection_opens_at', 'terms.validation.window_too_early');
    });

const requiredDateTime = z.preprocess(
  trimmed,
  z.string({ error: 'validation.required' }).transform((s, ctx) => {
    const value = normaliseDateTime(s);
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: 'terms.validation.datetime' });
      return z.NEVER;
    }
    return value;
  }),
);

/**
 * A selection round: one enrolment year's own window in a term (stored UTC, as the term's). The year's
 * range against the term is checked by the service, which knows the term.
 */
export const roundInputSchema = z
  .object({
    enrolment_year: requiredInt(1950, 2200, 'terms.validation.round_year_range'),
    opens_at: requiredDateTime,
    closes_at: requiredDateTime,
  })
  .superRefine((v, ctx) => {
    if (v.opens_at >= v.closes_at)
      ctx.addIssue({ code: 'custom', path: ['closes_at'], message: 'terms.validation.window_order' });
  });

export type RoundInput = z.infer<typeof roundInputSchema>;

/** How many enrolment years before the term's own a round may be for (a long programme's last year). */
export const ROUND_YEARS_BACK = 8;
