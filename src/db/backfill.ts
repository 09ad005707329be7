// Filling in what a migration adds to existing rows, in batches of ids, so a table of 100,000 students
// never becomes one huge statement or one huge read.
import type { Knex } from 'knex';

const BATCH = 1000;

/** Hands `each` the rows of `table` (id and `columns`) in id order, `batch` at a time. */
export async function forEachBatch<Row extends { id: number }>(
  knex: Knex,
  table: string,
  columns: string[],
  each: (rows: Row[]) => Promise<void>,
  batch = BATCH,
): Promise<void> {
  for (let after = 0; ;) {
    const rows = (await knex(table)
      .where('id', '>', after)
      .orderBy('id')
      .limit(batch)
      .select('id', ...columns)) as Row[];
    if (rows.length === 0) return;
    await each(rows);
    after = Number(rows[rows.length - 1]!.id);
  }
}

/** Sets `column` of every row to `compute(row[from])`: one UPDATE ... CASE id per batch. */
export function backfillColumn(
  knex: Knex,
  table: string,
  column: string,
  from: string,
  compute: (value: string) => string,
): Promise<void> {
  return forEachBatch<{ id: number } & Record<string, string>>(knex, table, [from], async (rows) => {
    const cases = rows.map(() => 'when ? then ?').join(' ');
    await knex(table)
      .whereIn(
        'id',
        rows.map((r) => r.id),
      )
      .update({
        [column]: knex.raw(
          `case id ${cases} end`,
          rows.flatMap((r) => [r.id, compute(r[from]!)]),
        ),
      });
  });
}
