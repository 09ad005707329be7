/** The named fields of a body or row as form values (strings); anything else (objects, files) is left out. */
export function pickValues(body: unknown, keep: readonly string[]): Record<string, string> {
  const source = (body ?? {}) as Record<string, unknown>;
  const values: Record<string, string> = {};
  for (const name of keep) {
    const value = source[name];
    if (typeof value === 'string' || typeof value === 'number') values[name] = String(value);
  }
  return values;
}
