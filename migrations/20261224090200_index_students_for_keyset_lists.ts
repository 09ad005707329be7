// The student list reads a page by walking one index in the order it shows (then by id, which InnoDB and
// SQLite append to every secondary index): one per sortable column among the active or archived rows,
// and the status and year filters in student-number order (the default sort).
import type { Knex } from 'knex';

const INDEXES: [string, string[]][] = [
  ['students_deleted_name_index', ['deleted_at', 'name']],
  ['students_deleted_year_index', ['deleted_at', 'enrolment_year']],
  ['students_deleted_updated_index', ['deleted_at', 'updated_at']],
  ['students_deleted_status_no_index', ['deleted_at', 'status', 'student_no']],
  ['students_deleted_year_no_index', ['deleted_at', 'enrolment_year', 'student_no']],
  ['students_deleted_status_year_no_index', ['deleted_at', 'status', 'enrolment_year', 'student_no']],
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('students', (t) => {
    for (const [name, columns] of INDEXES) t.index(columns, name);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('students', (t) => {
    for (const [name, columns] of INDEXES) t.dropIndex(columns, name);
  });
}
