/**
 * Escapes LIKE wildcards with '!' (an escape character MySQL and SQLite both accept), so a search for
 * "50%" means the text, not a pattern. Use with `like ? escape '!'`.
 */
export function likeEscape(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`);
}
