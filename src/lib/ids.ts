import { z } from 'zod';
import { NotFoundError } from './errors';

/** The largest id a column can hold: `increments()` and the id columns that point at it are INT UNSIGNED. */
export const MAX_ID = 4_294_967_295;

// A path id: digits only (or a number from a trusted caller), within an unsigned INT.
export const idSchema = z.preprocess(
  (v) => (typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,10}$/.test(v) ? Number(v) : NaN),
  z.number().int().positive().max(MAX_ID),
);

/** The id of a record, or the record's own "not found" (404) when it cannot be one. */
export function parseIdOrNotFound(raw: unknown, notFoundKey: string): number {
  const parsed = idSchema.safeParse(raw);
  if (!parsed.success) throw new NotFoundError(notFoundKey);
  return parsed.data;
}
