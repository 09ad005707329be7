import { z } from 'zod';
import { cursorFields } from '../lib/keyset';
import { sortFields } from '../lib/sorting';
import { isoDate, optionalId, optionalText, requiredInt, requiredText } from '../lib/schema-helpers';
import { archivedFlag, paging, searchText } from '../records/record.schemas';

export const STUDENT_STATUSES = ['enrolled', 'suspended', 'graduated', 'withdrawn'] as const;
export const GENDERS = ['male', 'female'] as const;
export const STUDENT_FIELDS = [
  'student_no',
  'name',
  'gender',
  'birth_date',
  'email',
  'phone',
  'address',
  'enrolment_year',
  'status',
  'class_id',
] as const;

const thisYear = () => new Date().getUTCFullYear();

export const studentInputSchema = z.object({
  // Upper-cased so uniqueness is the same on MySQL (case-insensitive collation) and SQLite.
  student_no: requiredText(32)
    .regex(/^[A-Za-z0-9-]{4,32}$/, { error: 'validation.student_no.format' })
    .transform((s) => s.toUpperCase()),
  name: requiredText(100),
  gender: z.enum(GENDERS, { error: 'validation.gender' }),
  birth_date: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? null : typeof v === 'string' ? v.trim() : v),
    isoDate
      .refine((s) => s >= '1900-01-01' && s <= new Date().toISOString().slice(0, 10), {
        error: 'validation.birth_date.range',
      })
      .nullable()
      .default(null),
  ),
  email: optionalText(254).refine((v) => v === null || z.email().safeParse(v).success, {
    error: 'validation.email',
  }),
  phone: optionalText(32).refine((v) => v === null || /^\+?[0-9][0-9 -]{5,30}$/.test(v), {
    error: 'validation.phone',
  }),
  address: optionalText(255, { multiline: true }),
  enrolment_year: z.lazy(() => requiredInt(1950, thisYear() + 1, 'validation.enrolment_year.range')),
  status: z.preprocess(
    (v) => (v === undefined || v === '' ? 'enrolled' : v),
    z.enum(STUDENT_STATUSES, { error: 'validation.status' }),
  ),
  class_id: optionalId,
});
export type StudentInput = z.output<typeof studentInputSchema>;

export const SORTABLE = ['student_no', 'name', 'enrolment_year', 'status', 'updated_at'] as const;

export const listQuerySchema = z.object({
  q: searchText,
  status: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(STUDENT_STATUSES, { error: 'validation.status' }).optional(),
  ),
  year: z.preprocess((v) => (v === '' ? undefined : v), requiredInt(1950, 2200, 'validation.range').optional()),
  archived: archivedFlag,
  // Strict: an unknown column or direction has always been a 422 here (the JSON API's callers rely on it).
  ...sortFields({ columns: SORTABLE, fallback: 'student_no', strict: true }),
  ...paging(),
  // Keyset links (lib/keyset.ts); `page` stays the label the list shows, and alone still pages by offset.
  ...cursorFields(),
});
export type ListQuery = z.output<typeof listQuerySchema>;
