import { idSchema } from '../lib/ids';
import { z } from 'zod';
import { optionalId } from '../lib/schema-helpers';

/** Who a staff member enrols: one student, or a whole administrative class. Students send neither. */
export const enrolBodySchema = z.object({
  student_id: optionalId,
  class_id: optionalId,
});
export type EnrolBody = z.output<typeof enrolBodySchema>;

const idLike = idSchema;

export const termQuerySchema = z.object({
  term: z.preprocess((v) => (v === '' ? undefined : v), idLike.optional()),
});
