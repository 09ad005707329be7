import { versionSchema } from '../records/record.schemas';
import { studentInputSchema } from '../students/students.schemas';

/** What a student may change of their own record; zod drops every other field of the body. */
export const PROFILE_FIELDS = ['email', 'phone', 'address'] as const;
export const profileSchema = studentInputSchema
  .pick({ email: true, phone: true, address: true })
  .extend(versionSchema.shape);
