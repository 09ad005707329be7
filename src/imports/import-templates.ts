// The template of each import kind, in the user's language: the header row, one example row, and (in a
// workbook) a second sheet listing what each column accepts (genders, statuses, the classes...). The
// student number column of the workbook is formatted as text, so Excel keeps what is typed there as typed.
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { type Language, translator } from '../i18n/i18n';
import type { ClassRow } from '../organisation/classes';
import { GENDERS, STUDENT_STATUSES } from '../students/students.schemas';
import { gradeColumns } from './grades-import';
import { type ColumnSpec, columnLabel } from './import-table';
import type { ImportKind } from './imports.types';
import { STUDENT_COLUMNS } from './students-import';

export const TEMPLATE_FORMATS = ['csv', 'xlsx'] as const;
export type TemplateFormat = (typeof TEMPLATE_FORMATS)[number];

export interface TemplateFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

const CONTENT_TYPES: Record<TemplateFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** One line of the accepted-values sheet: the column, a value or rule, what it means. */
type ValueLine = [string, string, string];

interface Sheet {
  name: string;
  columns: readonly ColumnSpec[];
  example: string[];
  values: ValueLine[];
}

function studentsSheet(lang: Language, classes: readonly ClassRow[]): Sheet {
  const t = translator(lang);
  const other = translator(lang === 'en' ? 'zh-CN' : 'en');
  const label = (field: string) =>
    columnLabel(
      STUDENT_COLUMNS.find((c) => c.field === field)!,
      lang,
    );
  const need = (field: string) =>
    t(
      STUDENT_COLUMNS.find((c) => c.field === field)!.required
        ? 'imports.templates.required'
        : 'imports.templates.optional',
    );
  const rule = (field: string, key: string): ValueLine => [label(field), need(field), t(key)];
  const thisYear = new Date().getUTCFullYear();
  const values: ValueLine[] = [
    rule('student_no', 'imports.templates.rules.student_no'),
    rule('name', 'imports.templates.rules.name'),
    rule('gender', 'imports.templates.one_of_below'),
    rule('birth_date', 'imports.templates.rules.birth_date'),
    rule('email', 'validation.email'),
    rule('phone', 'validation.phone'),
    rule('address', 'imports.templates.rules.address'),
    rule('enrolment_year', 'validation.enrolment_year.range'),
    rule('status', 'imports.templates.rules.status'),
    rule('class_id', 'imports.templates.rules.class_id'),
    ['', '', t('imports.templates.rules.unchanged')],
    ['', '', ''],
    ...GENDERS.map((g): ValueLine => [label('gender'), t(`gender.${g}`), `${other(`gender.${g}`)} / ${g}`]),
    ...STUDENT_STATUSES.map((s): ValueLine => [label('status'), t(`status.${s}`), `${other(`status.${s}`)} / ${s}`]),
    ...classes.map((c): ValueLine => [label('class_id'), c.code, c.name]),
  ];
  return {
    name: t('imports.templates.sheet_students'),
    columns: STUDENT_COLUMNS,
    example: [
      '2025000001',
      t('imports.templates.example_name'),
      t('gender.male'),
      '2007-09-01',
      'zhangsan@example.edu',
      '13800138000',
      t('imports.templates.example_address'),
      String(thisYear),
      t('status.enrolled'),
      classes[0]?.code ?? '',
    ],
    values,
  };
}

function gradesSheet(lang: Language): Sheet {
  const t = translator(lang);
  const columns = gradeColumns();
  const label = (field: string) =>
    columnLabel(
      columns.find((c) => c.field === field)!,
      lang,
    );
  return {
    name: t('imports.templates.sheet_grades'),
    columns,
    example: ['2025000001', t('imports.templates.example_name'), '85.5', '', ''],
    values: [
      [label('student_no'), t('imports.templates.required'), t('imports.templates.rules.student_no')],
      [label('name'), t('imports.templates.optional'), t('imports.templates.rules.grades_name')],
      [label('score'), '0 – 100', t('imports.templates.rules.score')],
      [label('passed'), `${t('grades.pass')} / ${t('grades.fail')}`, t('imports.templates.rules.passed')],
      [label('version'), t('imports.templates.optional'), t('imports.templates.rules.version')],
    ],
  };
}

/** The template file of `kind` in `format`; `classes`: the active classes a student may be placed in. */
export async function buildTemplate(
  kind: ImportKind,
  format: TemplateFormat,
  lang: Language,
  classes: readonly ClassRow[],
): Promise<TemplateFile> {
  const sheet = kind === 'students' ? studentsSheet(lang, classes) : gradesSheet(lang);
  const header = sheet.columns.map((c) => columnLabel(c, lang));
  const filename = `${kind}-template.${format}`;
  if (format === 'csv') {
    // With a BOM, so that Excel reads the Chinese as UTF-8.
    const text = stringify([header, sheet.example]);
    return { filename, contentType: CONTENT_TYPES.csv, body: Buffer.from(`\uFEFF${text}`, 'utf8') };
  }
  const t = translator(lang);
  const workbook = new ExcelJS.Workbook();
  const data = workbook.addWorksheet(sheet.name);
  data.columns = header.map((h) => ({ header: h, width: Math.max(12, h.length * 2 + 4) }));
  data.getRow(1).font = { bold: true };
  // Text, so that a student number typed there stays the digits typed (no 2.025E+09, no lost zeros).
  data.getColumn(1).numFmt = '@';
  data.addRow(sheet.example);
  data.views = [{ state: 'frozen', ySplit: 1 }];
  const values = workbook.addWorksheet(t('imports.templates.sheet_values'));
  values.columns = [
    { header: t('imports.templates.column'), width: 16 },
    { header: t('imports.templates.value'), width: 24 },
    { header: t('imports.templates.meaning'), width: 80 },
  ];
  values.getRow(1).font = { bold: true };
  for (const line of sheet.values) values.addRow(line);
  const body = Buffer.from(await workbook.xlsx.writeBuffer());
  return { filename, contentType: CONTENT_TYPES.xlsx, body };
}
