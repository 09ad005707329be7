// The student list reads a page by walking one index in the order it shows (then by id, which InnoDB and
// SQLite append to every secondary index): one per sortable column within the active or the archived
// half (`archived`, 0 or 1), and the status and year filters in student-number order (the default sort).
import type { Knex } from 'knex';

const INDEXES: [string, string[]][] = [
  ['students_archived_no_index', ['archived', 'student_no']],
  ['students_archived_name_index', ['archived', 'name']],
  ['students_archived_year_index', ['archived', 'enrolment_year']],
  ['students_archived_status_index', ['archived', 'status']],
  ['students_archived_updated_index', ['archived', 'updated_at']],
  ['students_archived_status_no_index', ['archived', 'status', 'student_no']],
  ['students_archived_year_no_index', ['archived', 'enrolment_year', 'student_no']],
  ['students_archived_status_year_no_index', ['archived', 'status', 'enrolment_year', 'student_no']],
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
