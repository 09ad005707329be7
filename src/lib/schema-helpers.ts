// Small zod building blocks shared by forms and JSON bodies, where HTML forms send everything as strings.
import { z } from 'zod';

const blankToNull = (value: unknown) => {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' && value.trim() === '') return null;
  return typeof value === 'string' ? value.trim() : value;
};

export const requiredText = (max: number) =>
  z
    .string({ error: 'validation.required' })
    .trim()
    .min(1, { error: 'validation.required' })
    .max(max, { error: 'validation.too_long' });

export const optionalText = (max: number) =>
  z.preprocess(
    blankToNull,
    z.string({ error: 'validation.invalid' }).max(max, { error: 'validation.too_long' }).nullable(),
  );

export const requiredInt = (min: number, max: number, rangeKey: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : v === '' ? undefined : v),
    z
      .number({ error: (issue) => (issue.input === undefined ? 'validation.required' : 'validation.integer') })
      .int({ error: 'validation.integer' })
      .min(min, { error: rangeKey })
      .max(max, { error: rangeKey }),
  );

export const optionalId = z.preprocess(
  (v) => {
    const blank = blankToNull(v);
    return typeof blank === 'string' ? Number(blank) : blank;
  },
  z
    .number({ error: 'validation.integer' })
    .int({ error: 'validation.integer' })
    .positive({ error: 'validation.integer' })
    .nullable(),
);

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'validation.date.format' })
  .refine(
    (s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
    },
    { error: 'validation.date.invalid' },
  );

/** Query-string numbers: absent means the default, anything else must be a whole number in range. */
export const queryInt = (fallback: number, min: number, max: number) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? fallback : Number(v)),
    z
      .number({ error: 'validation.integer' })
      .int({ error: 'validation.integer' })
      .min(min, { error: 'validation.range' })
      .max(max, { error: 'validation.range' }),
  );
