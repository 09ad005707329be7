import { z } from 'zod';
import { optionalId } from '../lib/schema-helpers';

/** Who a staff member enrols: one student, or a whole administrative class. Students send neither. */
export const enrolBodySchema = z.object({
  student_id: optionalId,
  class_id: optionalId,
});
export type EnrolBody = z.output<typeof enrolBodySchema>;

const idLike = z.preprocess(
  (v) => (typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,10}$/.test(v) ? Number(v) : NaN),
  z.number().int().positive().max(4_294_967_295),
);

export const idParamSchema = z.object({ id: idLike });

export const termQuerySchema = z.object({
  term: z.preprocess((v) => (v === '' ? undefined : v), idLike.optional()),
});
