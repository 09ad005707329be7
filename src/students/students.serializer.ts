import type { StudentRow } from './students.repository';

/** The JSON shape of a student (CONTRACT.md field names); audit columns stay internal. */
export function toStudentJson(row: StudentRow) {
  return {
    id: row.id,
    student_no: row.student_no,
    name: row.name,
    gender: row.gender,
    birth_date: row.birth_date,
    email: row.email,
    phone: row.phone,
    address: row.address,
    enrolment_year: row.enrolment_year,
    status: row.status,
    class_id: row.class_id,
    version: row.version,
    archived: row.deleted_at !== null,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
