// The rows of the edit-conflict table (views/partials/conflict.ejs): each field, what the user typed and
// what is saved now, marked where they differ. The kind names its fields and how a value reads.
export interface ConflictField {
  name: string;
  label: string;
  /** How a stored or typed value reads (a choice's label); the text itself by default. */
  show?: (value: string) => string;
}

export interface ConflictRow {
  label: string;
  mine: string;
  theirs: string;
  changed: boolean;
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

export function conflictRows(
  fields: readonly ConflictField[],
  typed: Record<string, string>,
  current: Record<string, unknown>,
): ConflictRow[] {
  return fields.map(({ name, label, show }) => {
    const mine = typed[name] ?? '';
    const theirs = text(current[name]);
    const read = (v: string) => (v === '' || !show ? v : show(v));
    return { label, mine: read(mine), theirs: read(theirs), changed: mine !== theirs };
  });
}
