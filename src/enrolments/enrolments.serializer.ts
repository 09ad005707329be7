import type { EnrolmentRow } from './enrolments.repository';

/** The JSON shape of an enrolment; audit columns and the raw waiting-list number stay internal. */
export function toEnrolmentJson(row: EnrolmentRow, position: number | null = null) {
  return {
    id: row.id,
    section_id: row.section_id,
    student_id: row.student_id,
    status: row.status,
    waitlist_position: position,
    window_override: Boolean(row.window_override),
    enrolled_at: row.enrolled_at,
    dropped_at: row.dropped_at,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
