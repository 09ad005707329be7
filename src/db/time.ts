/** UTC timestamp as 'YYYY-MM-DD HH:MM:SS', the one format both MySQL DATETIME and SQLite store. */
export function sqlNow(date: Date = new Date()): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}
