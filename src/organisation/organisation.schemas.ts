// Zod pieces shared by the organisation records.
import { z } from 'zod';
import { optionalId, optionalText, requiredText } from '../lib/schema-helpers';

/** A code of letters, digits and dashes, upper-cased so uniqueness is the same on MySQL and SQLite. */
export const codeField = (max: number, formatKey = 'org.validation.code.format') =>
  requiredText(max)
    .regex(new RegExp(`^[A-Za-z0-9-]{2,${max}}$`), { error: formatKey })
    .transform((s) => s.toUpperCase());

export const requiredId = optionalId.refine((v) => v !== null, { error: 'validation.required' });

export const optionalEmail = optionalText(254).refine((v) => v === null || z.email().safeParse(v).success, {
  error: 'validation.email',
});

export const optionalPhone = optionalText(32).refine((v) => v === null || /^\+?[0-9][0-9 -]{5,30}$/.test(v), {
  error: 'validation.phone',
});
