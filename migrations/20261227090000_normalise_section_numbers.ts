// Section numbers have one spelling (sections.schemas.ts normaliseSectionNo): a number is written with two
// digits at least, so "1" and "01" are one section. Existing numbers are rewritten, except where the
// rewritten number is already taken in the same course and term (both stay as they are: a person decides).
// The rule is copied, not imported: a migration must keep doing what it did when the code moves on.
import type { Knex } from 'knex';

const normalise = (raw: string): string => {
  const upper = raw.toUpperCase();
  return /^\d+$/.test(upper) ? String(Number(upper)).padStart(2, '0') : upper;
};

interface Row {
  id: number;
  term_id: number;
  course_id: number;
  section_no: string;
}

export async function up(knex: Knex): Promise<void> {
  const rows: Row[] = await knex('sections').select('id', 'term_id', 'course_id', 'section_no');
  const taken = new Set(rows.map((r) => `${r.term_id}|${r.course_id}|${r.section_no}`));
  for (const row of rows) {
    const wanted = normalise(row.section_no);
    if (wanted === row.section_no) continue;
    const key = `${row.term_id}|${row.course_id}|${wanted}`;
    if (taken.has(key)) continue;
    await knex('sections').where({ id: row.id }).update({ section_no: wanted });
    taken.delete(`${row.term_id}|${row.course_id}|${row.section_no}`);
    taken.add(key);
  }
}

/** The old spellings are not kept: nothing to undo. */
export async function down(): Promise<void> {}
