// Every action and record type an audit row can name: writers are typed by these lists, the audit page
// filters by them, and each has a label in both locales (audit.actions.*, admin.audit.entities.*).

export const AUDIT_ACTIONS = [
  'create',
  'update',
  'archive',
  'restore',
  'delete',
  'update_profile',
  'make_current',
  'enrol',
  'waitlist',
  'drop',
  'promote',
  'lock_grades',
  'reopen_grades',
  'login',
  'logout',
  'password_change',
  'password_reset',
  'deactivate',
  'reactivate',
  // A whole file of records imported at once (imports/): its counts; each record changed has its own row too.
  'import',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_ENTITIES = [
  'student',
  'course',
  'section',
  'enrolment',
  'grade',
  'term',
  'term_selection_round',
  'department',
  'major',
  'class',
  'staff',
  'user',
] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

export const isAuditAction = (value: unknown): value is AuditAction =>
  typeof value === 'string' && (AUDIT_ACTIONS as readonly string[]).includes(value);

export const isAuditEntity = (value: unknown): value is AuditEntity =>
  typeof value === 'string' && (AUDIT_ENTITIES as readonly string[]).includes(value);

/** Rows that change no record (sign-ins and sign-outs): left out of the dashboard's recent changes. */
export const SESSION_ACTIONS: readonly AuditAction[] = ['login', 'logout'];
