// Refusals of a whole import file (not a spreadsheet, empty, too large, no header, missing columns...):
// a 4xx with a locale key, and its text already in the import's language for a job that has no request.
import { type Language, translator } from '../i18n/i18n';
import { AppError } from '../lib/errors';

export class ImportFileError extends AppError {
  constructor(
    status: number,
    code: string,
    messageKey: string,
    lang: Language,
    params: Record<string, string> = {},
    details: Record<string, unknown> = {},
  ) {
    super(status, code, messageKey, details, params);
    this.message = translator(lang)(messageKey, params);
  }
}

/** The refusals an import can meet, each with its status and code (what a JSON client reads). */
export const fileErrors = {
  empty: (lang: Language) => new ImportFileError(422, 'import_empty', 'imports.errors.empty', lang),
  tooLarge: (lang: Language, maxMb: number) =>
    new ImportFileError(413, 'import_too_large', 'imports.errors.too_large', lang, { max: String(maxMb) }),
  tooManyRows: (lang: Language, max: number) =>
    new ImportFileError(413, 'import_too_many_rows', 'imports.errors.too_many_rows', lang, {
      max: max.toLocaleString(lang),
    }),
  notSpreadsheet: (lang: Language) =>
    new ImportFileError(415, 'import_not_spreadsheet', 'imports.errors.not_spreadsheet', lang),
  oldExcel: (lang: Language) => new ImportFileError(415, 'import_old_excel', 'imports.errors.old_excel', lang),
  unreadable: (lang: Language) => new ImportFileError(422, 'import_unreadable', 'imports.errors.unreadable', lang),
  csvMalformed: (lang: Language, line: number) =>
    new ImportFileError(422, 'import_csv_malformed', 'imports.errors.csv_malformed', lang, { line: String(line) }),
  noHeader: (lang: Language) => new ImportFileError(422, 'import_no_header', 'imports.errors.no_header', lang),
  noRows: (lang: Language) => new ImportFileError(422, 'import_no_rows', 'imports.errors.no_rows', lang),
  missingColumns: (lang: Language, columns: string[], list: string) =>
    new ImportFileError(
      422,
      'import_missing_columns',
      'imports.errors.missing_columns',
      lang,
      { columns: list },
      { columns },
    ),
  unknownKind: (lang: Language) => new ImportFileError(422, 'import_unknown_kind', 'imports.errors.unknown_kind', lang),
  unknownMode: (lang: Language) => new ImportFileError(422, 'import_unknown_mode', 'imports.errors.unknown_mode', lang),
  sectionRequired: (lang: Language) =>
    new ImportFileError(422, 'import_section_required', 'imports.errors.section_required', lang),
  sectionNotFound: (lang: Language) => new ImportFileError(404, 'not_found', 'grades.section_not_found', lang),
  gradesLocked: (lang: Language) => new ImportFileError(409, 'grades_locked', 'grades.locked', lang),
};
