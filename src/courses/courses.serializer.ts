import type { CourseRow } from './courses.repository';

/** The JSON shape of a course; credits as a number whatever the driver returns for decimal(3,1). */
export function toCourseJson(row: CourseRow) {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    name_en: row.name_en ?? null,
    credits: Number(row.credits),
    department_id: row.department_id,
    description: row.description,
    grading: row.grading,
    version: row.version,
    archived: row.deleted_at !== null,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
