import { z } from 'zod';
import { optionalId, optionalText, requiredInt, requiredText } from '../lib/schema-helpers';
import { archivedFlag, paging, searchText } from '../records/record.schemas';
import { sortFields } from '../lib/sorting';

export const SECTION_STATUSES = ['open', 'closed'] as const;
export const SECTION_FIELDS = [
  'course_id',
  'term_id',
  'section_no',
  'teacher_staff_id',
  'capacity',
  'room',
  'status',
] as const;
/** Meeting rows the HTML form offers; blank rows are ignored. JSON may send up to MAX_MEETINGS. */
export const MEETING_FORM_ROWS = 4;
export const MAX_MEETINGS = 14;
export const MEETING_PARTS = ['day_of_week', 'start_period', 'end_period'] as const;
/** Form field names of the meeting rows: `meetings.0.day_of_week` ..., the same names errors use. */
export const MEETING_FIELDS = Array.from({ length: MEETING_FORM_ROWS }, (_, i) =>
  MEETING_PARTS.map((part) => `meetings.${i}.${part}`),
).flat();

const meetingSchema = z
  .object({
    day_of_week: requiredInt(1, 7, 'catalogue.validation.day_of_week'),
    start_period: requiredInt(1, 12, 'catalogue.validation.period'),
    end_period: requiredInt(1, 12, 'catalogue.validation.period'),
  })
  .refine((m) => m.end_period >= m.start_period, {
    path: ['end_period'],
    error: 'catalogue.validation.period_order',
  });
export type MeetingInput = z.output<typeof meetingSchema>;

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/**
 * JSON sends `meetings: [{...}]`; a form sends flat `meetings.<i>.<part>` fields (urlencoded bodies are
 * not nested). Either way a row left wholly blank becomes null, so error paths keep the row's index.
 */
export function meetingsFrom(body: Record<string, unknown>): unknown {
  if (Array.isArray(body.meetings)) return body.meetings;
  if (body.meetings !== undefined) return body.meetings;
  const rows: unknown[] = [];
  for (let i = 0; i < MAX_MEETINGS; i++) {
    const row = Object.fromEntries(MEETING_PARTS.map((part) => [part, body[`meetings.${i}.${part}`]]));
    rows.push(Object.values(row).every(isBlank) ? null : row);
  }
  while (rows.length > 0 && rows[rows.length - 1] === null) rows.pop();
  return rows;
}

const overlaps = (a: MeetingInput, b: MeetingInput) =>
  a.day_of_week === b.day_of_week && a.start_period <= b.end_period && b.start_period <= a.end_period;

const meetingsSchema = z
  .array(meetingSchema.nullable(), { error: 'catalogue.validation.meetings_required' })
  .max(MAX_MEETINGS, { error: 'catalogue.validation.meetings_too_many' })
  .transform((rows) => rows.filter((m): m is MeetingInput => m !== null))
  .superRefine((rows, ctx) => {
    if (rows.length === 0) ctx.addIssue({ code: 'custom', message: 'catalogue.validation.meetings_required' });
    const clash = rows.some((a, i) => rows.some((b, j) => j > i && overlaps(a, b)));
    if (clash) ctx.addIssue({ code: 'custom', message: 'catalogue.validation.meetings_overlap' });
  });

/**
 * One spelling per section number: letters upper case, and a number written as two digits at least
 * ("1", "01" and "001" are all section 01), so that "1" and "01" can never be two sections of a course.
 */
export function normaliseSectionNo(raw: string): string {
  const upper = raw.toUpperCase();
  return /^\d+$/.test(upper) ? String(Number(upper)).padStart(2, '0') : upper;
}

export const sectionInputSchema = z.object({
  course_id: requiredInt(1, 4_294_967_295, 'catalogue.validation.course_unknown'),
  term_id: requiredInt(1, 4_294_967_295, 'catalogue.validation.term_unknown'),
  section_no: requiredText(8)
    .regex(/^[A-Za-z0-9-]{1,8}$/, { error: 'catalogue.validation.section_no' })
    .transform(normaliseSectionNo),
  teacher_staff_id: optionalId,
  capacity: requiredInt(1, 1000, 'catalogue.validation.capacity'),
  room: optionalText(32),
  status: z.preprocess(
    (v) => (v === undefined || v === '' ? 'open' : v),
    z.enum(SECTION_STATUSES, { error: 'catalogue.validation.section_status' }),
  ),
  meetings: meetingsSchema,
});
export type SectionInput = z.output<typeof sectionInputSchema>;

/** The body as the schema reads it: meetings gathered from either shape. */
export function sectionBody(input: unknown): Record<string, unknown> {
  const body = (input ?? {}) as Record<string, unknown>;
  return { ...body, meetings: meetingsFrom(body) };
}

/** Columns the section list sorts by (an unknown name falls back to the course code). */
export const SECTION_SORTS = [
  'course_code',
  'course_name',
  'credits',
  'teacher',
  'capacity',
  'enrolled',
  'seats_left',
  'waitlisted',
] as const;

export const sectionListQuerySchema = z.object({
  /** A term code (2026-2027-1) or id; absent means the current term. */
  term: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined),
    z.string().max(16, { error: 'validation.too_long' }).optional(),
  ),
  q: searchText,
  /** Staff and admins only (the route drops it for students): the term's archived sections instead. */
  archived: archivedFlag,
  ...sortFields({ columns: SECTION_SORTS, fallback: 'course_code' }),
  ...paging(50, 200),
});
export type SectionListQuery = z.output<typeof sectionListQuerySchema>;
