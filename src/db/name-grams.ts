// What a name search compares: the name folded once (NFKC, then lower case), and the one- and
// two-character pieces ("grams") of it that the student_name_grams table indexes. Writes and searches
// both fold through here, so a search matches exactly the substrings of the folded name.
import type { Knex } from 'knex';

/** The folded form of a name or a search: NFKC (full-width letters, ligatures) then lower case. */
export function nameKey(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Every character and every adjacent pair of characters of a folded name, each once. */
export function gramsOf(key: string): string[] {
  const chars = Array.from(key);
  const grams = new Set<string>(chars);
  for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i]! + chars[i + 1]!);
  return [...grams];
}

/**
 * The gram a search reads the index by: a search of one or two characters is a gram itself (the index
 * alone answers it); a longer one goes by one of its pairs (the first without a space, which are the
 * most common) and the candidates are checked against the whole folded name.
 */
export function searchGram(key: string): { gram: string; exact: boolean } {
  const chars = Array.from(key);
  if (chars.length <= 2) return { gram: key, exact: true };
  const pairs = chars.slice(1).map((c, i) => chars[i]! + c);
  return { gram: pairs.find((p) => !/\s/.test(p)) ?? pairs[0]!, exact: false };
}

export const GRAMS_TABLE = 'student_name_grams';

export interface GramSource {
  id: number;
  student_no: string;
  name: string;
  archived: boolean;
}

export function gramRows(s: GramSource) {
  return gramsOf(nameKey(s.name)).map((gram) => ({
    gram,
    archived: s.archived ? 1 : 0,
    student_no: s.student_no,
    student_id: s.id,
  }));
}

/** Rows a multi-row insert carries at once: 4 values each, well under SQLite's bound variables. */
const gramBatch = (trx: Knex) => (trx.client.config.client === 'mysql2' ? 5000 : 500);

/** Inserts the grams of these students (in the caller's transaction); existing grams are not touched. */
export async function insertGrams(trx: Knex, students: GramSource[]): Promise<void> {
  const rows = students.flatMap(gramRows);
  const batch = gramBatch(trx);
  for (let i = 0; i < rows.length; i += batch) await trx(GRAMS_TABLE).insert(rows.slice(i, i + batch));
}

/** Replaces one student's grams: after a name or number change. */
export async function replaceGrams(trx: Knex, student: GramSource): Promise<void> {
  await trx(GRAMS_TABLE).where({ student_id: student.id }).delete();
  await insertGrams(trx, [student]);
}

/** Archive and restore move a student's grams to the other half of the index. */
export async function setGramsArchived(trx: Knex, studentId: number, archived: boolean): Promise<void> {
  await trx(GRAMS_TABLE)
    .where({ student_id: studentId })
    .update({ archived: archived ? 1 : 0 });
}
