// Small zod building blocks shared by forms and JSON bodies, where HTML forms send everything as strings.
import { z } from 'zod';
import { MAX_ID } from './ids';
import { DATE_PATTERN } from './time';

const blankToNull = (value: unknown) => {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' && value.trim() === '') return null;
  return typeof value === 'string' ? value.trim() : value;
};

// C0 controls, DEL and C1 controls; a multi-line field (a textarea) keeps tab, line feed and carriage
// return. Also a lone UTF-16 surrogate (a JSON "\ud800" escape): no database stores it as sent.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u001F\u007F-\u009F]|[\uD800-\uDFFF]/u;
// eslint-disable-next-line no-control-regex -- as above
const CONTROL_CHARS_MULTILINE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDFFF]/u;

export interface TextOptions {
  /** A textarea: tabs and line breaks are part of the text. */
  multiline?: boolean;
}

/** Whether a text holds characters no text field accepts (NUL and other controls). */
export function hasControlChars(text: string, options: TextOptions = {}): boolean {
  return (options.multiline ? CONTROL_CHARS_MULTILINE : CONTROL_CHARS).test(text);
}

/** Free text as every form and JSON body takes it: trimmed, at most `max`, no control characters. */
export const requiredText = (max: number, options: TextOptions = {}) =>
  z
    .string({ error: 'validation.required' })
    .trim()
    .min(1, { error: 'validation.required' })
    .max(max, { error: 'validation.too_long' })
    .refine((s) => !hasControlChars(s, options), { error: 'validation.control_chars' });

export const optionalText = (max: number, options: TextOptions = {}) =>
  z.preprocess(
    blankToNull,
    z
      .string({ error: 'validation.invalid' })
      .max(max, { error: 'validation.too_long' })
      .refine((s) => !hasControlChars(s, options), { error: 'validation.control_chars' })
      .nullable(),
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

/**
 * A reference to another record by id, blank for none. Every id field of a body goes through this (or
 * `requiredId`), so an id no column can hold (0, 4294967296) is a field error before any SQL runs: MySQL
 * would refuse the value with an error (500) where SQLite merely finds no row.
 */
export const optionalId = z.preprocess(
  (v) => {
    const blank = blankToNull(v);
    return typeof blank === 'string' ? Number(blank) : blank;
  },
  z
    .number({ error: 'validation.integer' })
    // A whole number too large to be exact (1e20) is out of range, not "not a whole number".
    .int({ error: (issue) => (Number.isInteger(issue.input) ? 'validation.id' : 'validation.integer') })
    .positive({ error: 'validation.integer' })
    .max(MAX_ID, { error: 'validation.id' })
    .nullable(),
);

export const isoDate = z
  .string()
  .regex(DATE_PATTERN, { error: 'validation.date.format' })
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
