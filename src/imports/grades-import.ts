// A section's grades from a file: rows keyed by student number, each cell read as the grade grid reads
// one (the same parse, scale and messages), only students enrolled in the section, and the grid's own
// save (its versions, its audit rows) doing the writing.
import type { Knex } from 'knex';
import type { ActorContext } from '../audit/audit-context';
import type { GradeGrid, GradesService } from '../grades/grades.service';
import { StaleGradesError } from '../grades/grades.service';
import type { Grading, GridRow } from '../grades/grades.repository';
import { parseCell, type RawCell } from '../grades/grades.schemas';
import { type Language, translator } from '../i18n/i18n';
import { NotFoundError, ValidationError } from '../lib/errors';
import { cellText, foldKey, isNumberMangled } from './import-cells';
import type { Cell } from './import-file';
import type { ColumnSpec, Table } from './import-table';
import { fileErrors } from './imports.errors';
import type { ImportCounts, ImportProblem } from './imports.types';

export type GradeField = 'student_no' | 'name' | 'score' | 'passed' | 'version';

/** The columns of a grades file; the value column the course's grading uses is the required one. */
export function gradeColumns(grading?: Grading): ColumnSpec<GradeField>[] {
  return [
    { field: 'student_no', labels: ['student.student_no'], aliases: ['student number'], required: true },
    // The name is there for the person filling the file in; it is not compared.
    { field: 'name', labels: ['student.name'] },
    {
      field: 'score',
      labels: ['grades.grading.score', 'audit.fields.score'],
      aliases: ['grade', '分数', '百分制成绩'],
      required: grading === 'score',
    },
    {
      field: 'passed',
      labels: ['grades.grading.pass_fail', 'audit.fields.passed'],
      aliases: ['result', 'pass_fail', '是否通过', '通过与否'],
      required: grading === 'pass_fail',
    },
    { field: 'version', labels: ['imports.columns.version'] },
  ];
}

export type GradesPort = Pick<GradesService, 'grid' | 'save'>;

const both = [translator('en'), translator('zh-CN')];
/** Pass and fail as the grid shows them in either language, and the values it posts. */
const PASSED_CHOICES = new Map<string, string>([
  ...(['pass', 'fail'] as const).flatMap((v) => [
    [foldKey(v), v] as [string, string],
    ...both.map((t): [string, string] => [foldKey(t(`grades.${v}`)), v]),
  ]),
  [foldKey('合格'), 'pass'],
  [foldKey('不合格'), 'fail'],
]);

interface GradeEntry {
  row: number;
  number: string;
  cells: Partial<Record<'score' | 'passed' | 'version', Cell>>;
}

export interface ReadGrades {
  total: number;
  entries: GradeEntry[];
  columns: Table<GradeField>['columns'];
  problems: ImportProblem[];
}

/** The cells a save is given, and what each would do to the grid. */
interface Planned {
  cells: { enrolment_id: number; score?: unknown; passed?: unknown; version: unknown }[];
  counts: ImportCounts;
  problems: ImportProblem[];
  rowOf: Map<number, GradeEntry>;
}

export class GradesImport {
  constructor(private readonly grades: GradesPort) {}

  /** The section's grid (read under its lock in a commit's transaction); a locked section refuses the whole file. */
  async grid(sectionId: number, lang: Language, trx?: Knex.Transaction): Promise<GradeGrid> {
    try {
      const grid = await this.grades.grid(sectionId, { transacting: trx });
      if (grid.section.grades_locked_at) throw fileErrors.gradesLocked(lang);
      return grid;
    } catch (err) {
      if (err instanceof NotFoundError) throw fileErrors.sectionNotFound(lang);
      throw err;
    }
  }

  /** The rows read: numbers turned into numbers by Excel and numbers repeated in the file refused. */
  async read(table: Table<GradeField>, lang: Language): Promise<ReadGrades> {
    const t = translator(lang);
    const { columns } = table;
    const problems: ImportProblem[] = [];
    const entries: GradeEntry[] = [];
    const firstRowOf = new Map<string, number>();
    const numberColumn = columns.get('student_no')!;
    let total = 0;
    for await (const { row, cells } of table.rows) {
      total++;
      const cell = cells[numberColumn.index];
      const number = cellText(cell).trim().toUpperCase();
      const problem = (message: string) =>
        problems.push({ row, column: numberColumn.header, value: cellText(cell), message });
      if (isNumberMangled(cell)) problem(t('imports.problems.student_no_number'));
      else if (number === '') problem(t('validation.required'));
      else if (firstRowOf.has(number))
        problem(t('imports.problems.duplicate', { row: String(firstRowOf.get(number)) }));
      else {
        firstRowOf.set(number, row);
        const values: GradeEntry['cells'] = {};
        for (const field of ['score', 'passed', 'version'] as const) {
          const column = columns.get(field);
          if (column) values[field] = cells[column.index] ?? null;
        }
        entries.push({ row, number, cells: values });
      }
    }
    return { total, entries, columns, problems };
  }

  /** The rows against the grid: each cell parsed as the grid parses it, students not enrolled refused. */
  plan(read: ReadGrades, grid: GradeGrid, lang: Language): Planned {
    const t = translator(lang);
    const { grading } = grid.section;
    const byNumber = new Map<string, GridRow>(grid.rows.map((r) => [r.student_no.toUpperCase(), r]));
    const planned: Planned = {
      cells: [],
      counts: { created: 0, updated: 0, unchanged: 0 },
      problems: [],
      rowOf: new Map(),
    };
    const columnOf = (field: GradeField) => read.columns.get(field)?.header ?? field;
    for (const entry of read.entries) {
      const gridRow = byNumber.get(entry.number);
      if (!gridRow) {
        planned.problems.push({
          row: entry.row,
          column: columnOf('student_no'),
          value: entry.number,
          message: t('grades.validation.not_enrolled'),
        });
        continue;
      }
      const given = (field: 'score' | 'passed' | 'version') => {
        const cell = entry.cells[field];
        return cell === undefined || cellText(cell).trim() === '' ? undefined : cell;
      };
      const raw: RawCell = {};
      const score = given('score');
      if (score !== undefined) raw.score = cellText(score);
      const passed = given('passed');
      if (passed !== undefined)
        raw.passed =
          typeof passed === 'boolean' ? passed : (PASSED_CHOICES.get(foldKey(cellText(passed))) ?? cellText(passed));
      // No value given: the grade stays as it is (a blank cell never clears one).
      if (raw.score === undefined && raw.passed === undefined) {
        planned.counts.unchanged++;
        continue;
      }
      const version = given('version');
      // Without a version from the file (an export's), the grade as it stands now is the one replaced.
      raw.version = version === undefined ? String(gridRow.version) : cellText(version);
      const parsed = parseCell(gridRow.enrolment_id, raw, grading);
      const errors = Object.entries(parsed.errors);
      for (const [key, messageKey] of errors) {
        const field = key.slice(0, key.indexOf('[')) as 'score' | 'passed' | 'version';
        const message = field === 'version' ? t('imports.problems.version') : t(messageKey);
        planned.problems.push({
          row: entry.row,
          column: columnOf(field),
          value: cellText(entry.cells[field]),
          message,
        });
      }
      if (errors.length > 0 || !parsed.values) continue;
      planned.rowOf.set(gridRow.enrolment_id, entry);
      if (parsed.values.score === gridRow.score && parsed.values.passed === gridRow.passed) {
        planned.counts.unchanged++;
        continue;
      }
      // As the grid's save refuses it: a cell someone saved since the version the file carries.
      if (parsed.version !== gridRow.version) {
        planned.problems.push({
          row: entry.row,
          column: columnOf('version'),
          value: cellText(entry.cells.version ?? null),
          message: t('imports.problems.stale_grade', { value: gradeText(gridRow, t) }),
        });
        continue;
      }
      planned.counts[gridRow.grade_id === null ? 'created' : 'updated']++;
      const valueField = grading === 'score' ? 'score' : 'passed';
      planned.cells.push({ enrolment_id: gridRow.enrolment_id, [valueField]: raw[valueField], version: raw.version });
    }
    return planned;
  }

  /**
   * Saves the planned cells through the grid's save, in the caller's transaction. A cell someone saved
   * since the file's version (a stale cell), or a cell the save refuses, becomes a problem of its row.
   */
  async save(
    sectionId: number,
    planned: Planned,
    read: ReadGrades,
    trx: Knex.Transaction,
    actor: ActorContext,
    lang: Language,
  ): Promise<ImportProblem[]> {
    const t = translator(lang);
    if (planned.cells.length === 0) return [];
    const columnOf = (field: string) => read.columns.get(field as GradeField)?.header ?? field;
    try {
      await this.grades.save(sectionId, { grades: planned.cells }, actor, { transacting: trx });
      return [];
    } catch (err) {
      if (err instanceof StaleGradesError) {
        return err.cells.map((cell) => {
          const entry = planned.rowOf.get(cell.enrolment_id)!;
          const field = read.columns.has('version') ? 'version' : cell.field.slice(0, cell.field.indexOf('['));
          return {
            row: entry.row,
            column: columnOf(field),
            value: cellText(entry.cells[field as 'version'] ?? null),
            message: t('imports.problems.stale_grade', { value: gradeText(cell, t) }),
          };
        });
      }
      if (err instanceof ValidationError) {
        return Object.entries(err.fields).map(([key, messageKey]) => {
          const match = /^(\w+)\[(\d+)\]$/.exec(key);
          const entry = match ? planned.rowOf.get(Number(match[2])) : undefined;
          const field = match?.[1] ?? key;
          return {
            row: entry?.row ?? 0,
            column: columnOf(field),
            value: cellText(entry?.cells[field as 'score'] ?? null),
            message: t(messageKey),
          };
        });
      }
      if (err instanceof Error && (err as { code?: unknown }).code === 'grades_locked')
        throw fileErrors.gradesLocked(lang);
      throw err;
    }
  }
}

/** A saved grade as the grid shows it: the score, pass or fail, or none. */
function gradeText(grade: { score: number | null; passed: boolean | null }, t: ReturnType<typeof translator>): string {
  if (grade.score !== null) return String(grade.score);
  if (grade.passed !== null) return t(grade.passed ? 'grades.pass' : 'grades.fail');
  return t('form.none');
}
