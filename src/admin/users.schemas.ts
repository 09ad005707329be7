// zod schemas of the admin's account pages, shared by the forms and the JSON API.
import { z } from 'zod';
import { isAuditAction, isAuditEntity } from '../audit/audit-actions';
import { ROLES } from '../users/users.types';
import { isoDate, optionalId, optionalText, queryInt } from '../lib/schema-helpers';
import { cursorFields } from '../lib/keyset';
import { sortFields } from '../lib/sorting';

/** The new-account form's fields, echoed back when it is refused (JSON clients may also send ids). */
export const USER_FIELDS = ['username', 'role', 'staff_no', 'student_no'] as const;

const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);

/** Lower-cased, so uniqueness means the same on MySQL (case-insensitive collation) and SQLite. */
export const usernameSchema = z
  .string({ error: 'validation.required' })
  .trim()
  .min(1, { error: 'validation.required' })
  .max(64, { error: 'validation.too_long' })
  .transform((s) => s.toLowerCase())
  .pipe(z.string().regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, { error: 'admin.validation.username_format' }));

/** A student number (学号) or staff number (工号) as typed: trimmed, blank for none, upper-cased as stored. */
const personNumber = optionalText(32).transform((v) => (v === null ? null : v.toUpperCase()));

/** How a request names the record an account links to, and the field a refusal is told on. */
export type LinkRef = { by: 'id'; id: number; field: string } | { by: 'number'; number: string; field: string };

function linkRef(kind: 'staff' | 'student', id: number | null, number: string | null): LinkRef | null {
  if (id !== null) return { by: 'id', id, field: `${kind}_id` };
  if (number !== null) return { by: 'number', number, field: `${kind}_no` };
  return null;
}

/**
 * The form names the linked person by number (`student_no`, `staff_no`); JSON clients may send the record's
 * id instead (`student_id`, `staff_id`), never both. A student account needs a student, a staff account a
 * staff profile; an administrator's profile is optional.
 */
export const newUserSchema = z
  .object({
    username: usernameSchema,
    role: z.enum(ROLES, { error: 'admin.validation.role' }),
    staff_id: optionalId,
    staff_no: personNumber,
    student_id: optionalId,
    student_no: personNumber,
  })
  .superRefine((v, ctx) => {
    const kind = v.role === 'student' ? 'student' : 'staff';
    const [id, number] = kind === 'student' ? [v.student_id, v.student_no] : [v.staff_id, v.staff_no];
    if (id !== null && number !== null)
      ctx.addIssue({ code: 'custom', path: [`${kind}_no`], message: `admin.validation.${kind}_one_way` });
    else if (v.role !== 'admin' && id === null && number === null)
      ctx.addIssue({ code: 'custom', path: [`${kind}_no`], message: `admin.validation.${kind}_required` });
  })
  // Only the link that fits the role is kept: a student account has no staff profile and vice versa.
  .transform((v) => ({
    username: v.username,
    role: v.role,
    staff: v.role === 'student' ? null : linkRef('staff', v.staff_id, v.staff_no),
    student: v.role === 'student' ? linkRef('student', v.student_id, v.student_no) : null,
  }));
export type NewUserInput = z.output<typeof newUserSchema>;

/** Columns the account list sorts by (an unknown name falls back to the username). */
export const USER_SORTS = ['username', 'role', 'active', 'last_login_at'] as const;

export const userListQuerySchema = z.object({
  q: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : ''),
    z.string().max(100, { error: 'validation.too_long' }),
  ),
  role: z.preprocess(blankToUndefined, z.enum(ROLES, { error: 'admin.validation.role' }).optional()),
  active: z.preprocess(
    (v) => (v === '1' || v === 'true' ? true : v === '0' || v === 'false' ? false : undefined),
    z.boolean().optional(),
  ),
  ...sortFields({ columns: USER_SORTS, fallback: 'username' }),
  page: queryInt(1, 1, 1_000_000),
  size: queryInt(25, 1, 100),
});

export const auditQuerySchema = z
  .object({
    actor: z.preprocess(
      (v) => (typeof v === 'string' ? v.trim() : ''),
      z.string().max(64, { error: 'validation.too_long' }),
    ),
    // One of the listed record types and actions (audit/audit-actions.ts), or blank for any.
    entity: z.preprocess(
      (v) => (typeof v === 'string' ? v.trim() : ''),
      z.string().refine((v) => v === '' || isAuditEntity(v), { error: 'admin.validation.audit_entity' }),
    ),
    entity_id: z.preprocess(
      (v) => (typeof v === 'string' ? v.trim() : ''),
      z.string().max(64, { error: 'validation.too_long' }),
    ),
    action: z.preprocess(
      (v) => (typeof v === 'string' ? v.trim() : ''),
      z.string().refine((v) => v === '' || isAuditAction(v), { error: 'admin.validation.audit_action' }),
    ),
    from: z.preprocess(blankToUndefined, isoDate.optional()),
    to: z.preprocess(blankToUndefined, isoDate.optional()),
    page: queryInt(1, 1, 1_000_000),
    size: queryInt(25, 1, 100),
    // Keyset links (lib/keyset.ts) over (at, id), newest first.
    ...cursorFields(),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { path: ['to'], error: 'admin.validation.date_order' });
export type AuditQuery = z.output<typeof auditQuerySchema>;
