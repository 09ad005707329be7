// The name search's index: each one- and two-character piece of every student's folded name, with the
// archived flag and student number beside it, so a search reads one index range already in list order
// (gram, archived, student_no) instead of a LIKE '%q%' over every row. Kept by the student writes in
// their own transaction (students.repository.ts); existing students are filled in batches here.
import type { Knex } from 'knex';
import { tableDefaults } from '../src/db/schema';
import { forEachBatch } from '../src/db/backfill';
import { isMysql } from '../src/db/knex';
import { insertGrams } from '../src/db/name-grams';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('student_name_grams', (t) => {
    tableDefaults(knex, t);
    // Up to two characters, compared byte for byte: VARBINARY, because MySQL 5.7's utf8mb4_bin pads
    // (there 'x ' = 'x', and the two grams would collide in the primary key).
    if (isMysql(knex)) t.specificType('gram', 'varbinary(8)').notNullable();
    else t.string('gram', 2).notNullable();
    t.tinyint('archived').notNullable();
    t.string('student_no', 32).notNullable();
    t.integer('student_id').unsigned().notNullable();
    t.primary(['gram', 'archived', 'student_no', 'student_id']);
    t.index(['student_id'], 'student_name_grams_student_id_index');
    t.foreign('student_id', 'student_name_grams_student_id_foreign').references('students.id').onDelete('CASCADE');
  });

  await forEachBatch<{ id: number; student_no: string; name: string; deleted_at: string | null }>(
    knex,
    'students',
    ['student_no', 'name', 'deleted_at'],
    (rows) =>
      insertGrams(
        knex,
        rows.map((r) => ({
          id: Number(r.id),
          student_no: r.student_no,
          name: r.name,
          archived: r.deleted_at !== null,
        })),
      ),
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('student_name_grams');
}
