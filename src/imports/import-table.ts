// The header row of an import file mapped to the fields it names (Chinese or English, any order, case
// and width ignored), unknown and repeated columns reported as problems of the header row, required
// columns missing refused; then the data rows, blank ones left out, at most MAX_IMPORT_ROWS.
import { type Language, translator } from '../i18n/i18n';
import { cellText, foldKey } from './import-cells';
import { MAX_IMPORT_ROWS, type SheetRow } from './import-file';
import { fileErrors } from './imports.errors';
import type { ImportProblem } from './imports.types';

export interface ColumnSpec<F extends string = string> {
  field: F;
  /** Locale keys of the column's label (a form's field label): their text in both languages names it. */
  labels: readonly string[];
  /** More names it goes by, as written (the field name itself is always one). */
  aliases?: readonly string[];
  required?: boolean;
}

export interface Column {
  index: number;
  /** The header as written in the file. */
  header: string;
}

export interface Table<F extends string> {
  headerRow: number;
  columns: ReadonlyMap<F, Column>;
  /** Unknown and repeated columns, as problems of the header row. */
  problems: ImportProblem[];
  /** The data rows after the header, blank ones left out; reading past the row limit throws. */
  rows: AsyncIterable<SheetRow>;
}

const both = [translator('en'), translator('zh-CN')];

/** Every folded name of each field: its name, its aliases and its labels in either language. */
function namesOf<F extends string>(specs: readonly ColumnSpec<F>[]): Map<string, F> {
  const names = new Map<string, F>();
  for (const spec of specs) {
    const texts = [spec.field, ...(spec.aliases ?? []), ...spec.labels.flatMap((key) => both.map((t) => t(key)))];
    for (const text of texts)
      if (foldKey(text) !== '' && !names.has(foldKey(text))) names.set(foldKey(text), spec.field);
  }
  return names;
}

export const isBlankRow = (row: SheetRow) => row.cells.every((c) => cellText(c).trim() === '');

/** The label a field's column goes by in `lang` (its first label). */
export function columnLabel(spec: ColumnSpec, lang: Language): string {
  return spec.labels[0] ? translator(lang)(spec.labels[0]) : spec.field;
}

export async function readTable<F extends string>(
  source: AsyncIterable<SheetRow>,
  specs: readonly ColumnSpec<F>[],
  lang: Language,
  options: { maxRows?: number; onRow?: (read: number) => void } = {},
): Promise<Table<F>> {
  const t = translator(lang);
  const it = source[Symbol.asyncIterator]();
  let header: SheetRow | undefined;
  try {
    for (let next = await it.next(); !next.done; next = await it.next()) {
      if (!isBlankRow(next.value)) {
        header = next.value;
        break;
      }
    }
  } catch (err) {
    await it.return?.();
    throw err;
  }
  if (!header) throw fileErrors.empty(lang);

  const names = namesOf(specs);
  const columns = new Map<F, Column>();
  const problems: ImportProblem[] = [];
  header.cells.forEach((cell, index) => {
    const text = cellText(cell).trim();
    if (text === '') return;
    const field = names.get(foldKey(text));
    const problem = (message: string) => problems.push({ row: header.row, column: text, value: text, message });
    if (field === undefined) problem(t('imports.problems.unknown_column'));
    else if (columns.has(field)) problem(t('imports.problems.repeated_column', { column: columns.get(field)!.header }));
    else columns.set(field, { index, header: text });
  });
  if (columns.size === 0) {
    await it.return?.();
    throw fileErrors.noHeader(lang);
  }
  const missing = specs.filter((s) => s.required && !columns.has(s.field));
  if (missing.length > 0) {
    await it.return?.();
    const labels = missing.map((s) => columnLabel(s, lang));
    throw fileErrors.missingColumns(
      lang,
      missing.map((s) => s.field),
      labels.join(t('audit.list_separator')),
    );
  }

  const maxRows = options.maxRows ?? MAX_IMPORT_ROWS;
  async function* data(): AsyncGenerator<SheetRow> {
    let read = 0;
    try {
      for (let next = await it.next(); !next.done; next = await it.next()) {
        if (isBlankRow(next.value)) continue;
        if (++read > maxRows) throw fileErrors.tooManyRows(lang, maxRows);
        if (read % 1000 === 0) options.onRow?.(read);
        yield next.value;
      }
    } finally {
      await it.return?.();
    }
  }
  return { headerRow: header.row, columns, problems, rows: data() };
}
