import { z } from 'zod';
import { optionalId, optionalText } from '../lib/schema-helpers';

/**
 * Who a staff member enrols: one student (the form sends the student number, `student_no`; JSON
 * clients may send the database `student_id`), or a whole administrative class. Students send neither.
 */
export const enrolBodySchema = z.object({
  student_id: optionalId,
  student_no: optionalText(32),
  class_id: optionalId,
});
