// How each record type's fields read in the audit log: the label each form gives the field (the same
// locale key), and how its value is shown on the pages (a translated choice, a referenced record's name,
// a date in the university's zone). Bookkeeping columns (version, timestamps, search keys) are left out.
import type { AuditEntity } from './audit-actions';

/** Record types an id in an image can point to; each is named by one batched lookup per page. */
export const REF_KINDS = [
  'student',
  'course',
  'section',
  'term',
  'department',
  'major',
  'class',
  'staff',
  'user',
] as const satisfies readonly AuditEntity[];
export type RefKind = (typeof REF_KINDS)[number];

export const isRefKind = (entity: string): entity is RefKind => (REF_KINDS as readonly string[]).includes(entity);

export type FieldValue =
  | { kind: 'text' }
  /** A stored code shown as `${key}.${value}` (gender.male, status.enrolled). */
  | { kind: 'choice'; key: string }
  | { kind: 'ref'; to: RefKind }
  /** A calendar day. */
  | { kind: 'date' }
  /** A stored UTC datetime, shown in the university's zone. */
  | { kind: 'datetime' }
  /** A true/false column, each side with its own words. */
  | { kind: 'flag'; yes: string; no: string }
  /** A section's weekly meetings, as its page lists them. */
  | { kind: 'meetings' };

export interface FieldDisplay {
  /** The locale key of the field's label: the form's own where a form has the field. */
  label: string;
  value: FieldValue;
}

const text: FieldValue = { kind: 'text' };
const date: FieldValue = { kind: 'date' };
const datetime: FieldValue = { kind: 'datetime' };
const flag = (yes: string, no: string): FieldValue => ({ kind: 'flag', yes, no });
const yesNo = flag('audit.values.yes', 'audit.values.no');
const ref = (to: RefKind): FieldValue => ({ kind: 'ref', to });
const choice = (key: string): FieldValue => ({ kind: 'choice', key });

/** Fields of one record type, labelled from one locale prefix unless a field names its own key. */
function fields(
  prefix: string,
  spec: Record<string, FieldValue | [FieldValue, string]>,
): Readonly<Record<string, FieldDisplay>> {
  return Object.fromEntries(
    Object.entries(spec).map(([name, s]) =>
      Array.isArray(s) ? [name, { value: s[0], label: s[1] }] : [name, { value: s, label: `${prefix}.${name}` }],
    ),
  );
}

const archived: [FieldValue, string] = [datetime, 'audit.fields.deleted_at'];

export const AUDIT_FIELDS: Readonly<Record<AuditEntity, Readonly<Record<string, FieldDisplay>>>> = {
  student: fields('student', {
    student_no: text,
    name: text,
    gender: choice('gender'),
    birth_date: date,
    email: text,
    phone: text,
    address: text,
    enrolment_year: text,
    status: choice('status'),
    class_id: ref('class'),
    deleted_at: archived,
  }),
  course: fields('catalogue.course', {
    code: text,
    name: text,
    name_en: text,
    credits: text,
    department_id: ref('department'),
    grading: choice('catalogue.grading'),
    description: text,
    deleted_at: archived,
  }),
  section: fields('catalogue.section', {
    course_id: ref('course'),
    term_id: ref('term'),
    section_no: text,
    teacher_staff_id: ref('staff'),
    capacity: text,
    room: text,
    status: choice('catalogue.section_status'),
    meetings: { kind: 'meetings' },
    enrolled_count: [text, 'catalogue.section.enrolled'],
    grades_locked_at: [datetime, 'audit.fields.grades_locked_at'],
    grades_reopened_at: [datetime, 'audit.fields.grades_reopened_at'],
    reason: [text, 'grades.reopen.reason'],
    deleted_at: archived,
  }),
  enrolment: fields('audit.fields', {
    student_id: ref('student'),
    section_id: ref('section'),
    status: choice('audit.values.enrolment_status'),
    window_override: yesNo,
    enrolled_at: datetime,
    dropped_at: datetime,
  }),
  grade: fields('audit.fields', {
    enrolment_id: text,
    score: text,
    passed: flag('grades.pass', 'grades.fail'),
  }),
  term: fields('terms.fields', {
    code: text,
    academic_year: text,
    semester: text,
    name: text,
    starts_on: date,
    ends_on: date,
    // The form's labels name the zone; the audit page says once which zone its times are in.
    selection_opens_at: [datetime, 'audit.fields.selection_opens_at'],
    selection_closes_at: [datetime, 'audit.fields.selection_closes_at'],
    current_marker: [yesNo, 'audit.fields.current_marker'],
    previous_current_id: [ref('term'), 'audit.fields.previous_current_id'],
  }),
  term_selection_round: fields('terms.rounds.fields', {
    term_id: [ref('term'), 'catalogue.section.term_id'],
    enrolment_year: text,
    opens_at: [datetime, 'audit.fields.opens_at'],
    closes_at: [datetime, 'audit.fields.closes_at'],
  }),
  department: fields('org.departments.fields', { code: text, name: text, name_en: text, deleted_at: archived }),
  major: fields('org.majors.fields', {
    code: text,
    name: text,
    name_en: text,
    department_id: ref('department'),
    deleted_at: archived,
  }),
  class: fields('org.classes.fields', {
    code: text,
    name: text,
    major_id: ref('major'),
    entry_year: text,
    adviser_staff_id: ref('staff'),
    deleted_at: archived,
  }),
  staff: fields('org.staff.fields', {
    staff_no: text,
    name: text,
    department_id: ref('department'),
    title: text,
    email: text,
    phone: text,
    user_id: ref('user'),
    deleted_at: archived,
  }),
  user: fields('admin.users', {
    username: text,
    role: choice('roles'),
    active: [flag('admin.users.active', 'admin.users.inactive'), 'admin.users.state'],
    must_change_password: [yesNo, 'admin.users.must_change'],
    student_id: [ref('student'), 'audit.fields.student_id'],
    staff_id: [ref('staff'), 'audit.fields.staff_id'],
    last_login_at: [datetime, 'admin.users.last_login'],
  }),
};

/** Columns no person needs to read in a change: bookkeeping, search keys, secrets. */
const HIDDEN_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'version',
  'created_at',
  'updated_at',
  'created_by',
  'updated_by',
  'name_key',
  'name_sort',
  'archived',
  'password_hash',
  'session_version',
  'waitlist_seq',
]);

/** What a record's view joins in beside its own columns: the section page's and the grade grid's course and term. */
const JOINED_FIELDS: Partial<Record<AuditEntity, ReadonlySet<string>>> = {
  section: new Set([
    'course_code',
    'course_name',
    'course_name_en',
    'credits',
    'grading',
    'term_code',
    'term_name',
    'term_academic_year',
    'term_semester',
    'teacher_name',
  ]),
};

/** How a field of `entity` is shown; undefined for a column this list does not know (shown as stored). */
export function fieldDisplay(entity: string, field: string): FieldDisplay | undefined {
  return (AUDIT_FIELDS as Record<string, Record<string, FieldDisplay> | undefined>)[entity]?.[field];
}

/** Whether a person reads this field in a change at all. */
export function isShown(entity: string, field: string): boolean {
  return (
    !HIDDEN_FIELDS.has(field) && !(JOINED_FIELDS as Record<string, ReadonlySet<string> | undefined>)[entity]?.has(field)
  );
}
