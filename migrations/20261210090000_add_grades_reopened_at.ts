// When an administrator reopened a section's published grades for correction: set by the reopen, cleared
// when the grades are locked (published) again. Students see such a course as "being corrected" instead
// of as never graded.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sections', (t) => {
    t.dateTime('grades_reopened_at').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  // SQLite: its own ALTER TABLE DROP COLUMN (3.35+); knex would copy and drop the whole table, which the
  // foreign keys of enrolments and section_meetings refuse.
  if (knex.client.config.client === 'mysql2') {
    await knex.schema.alterTable('sections', (t) => {
      t.dropColumn('grades_reopened_at');
    });
  } else {
    await knex.raw('alter table ?? drop column ??', ['sections', 'grades_reopened_at']);
  }
}
