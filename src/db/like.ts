import type { Knex } from 'knex';

/**
 * Escapes LIKE wildcards with '!' (an escape character MySQL and SQLite both accept), so a search for
 * "50%" means the text, not a pattern. Use with `like ? escape '!'`.
 */
export function likeEscape(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`);
}

/** A search box over a code and a name: the code from its start (an index range, codes upper-case), the name anywhere. */
export function codeOrName(w: Knex.QueryBuilder, text: string, codeColumn: string, nameColumn: string): void {
  const q = likeEscape(text);
  w.whereRaw(`?? like ? escape '!'`, [codeColumn, `${q.toUpperCase()}%`]).orWhereRaw(`?? like ? escape '!'`, [
    nameColumn,
    `%${q}%`,
  ]);
}

/**
 * `column` starts with `text`, as an index range on both dialects: LIKE 'text%' on MySQL (a range under
 * its collations), and on SQLite (whose LIKE ignores ASCII case and so no index) the range spelled out,
 * U+10FFFF sorting after every character there. `text` is given in the case the column stores.
 */
export function whereStartsWith(db: Knex, w: Knex.QueryBuilder, column: string, text: string): void {
  if (db.client.config.client === 'mysql2') w.whereRaw(`?? like ? escape '!'`, [column, `${likeEscape(text)}%`]);
  else w.where(column, '>=', text).andWhere(column, '<', `${text}\u{10FFFF}`);
}
