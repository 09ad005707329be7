// Students from a file: each row read as the student form reads a submission (the same schema, the same
// messages), choices accepted as either language's pages show them, classes by code or name, then an
// upsert by student number: new numbers created, known ones updated where a field differs.
import type { Knex } from 'knex';
import type { ActorContext } from '../audit/audit-context';
import { type Language, translator } from '../i18n/i18n';
import { fieldErrorsOf } from '../lib/validate';
import type { ClassRow } from '../organisation/classes';
import type { StudentRow } from '../students/students.repository';
import {
  GENDERS,
  STUDENT_FIELDS,
  STUDENT_STATUSES,
  type StudentInput,
  studentInputSchema,
} from '../students/students.schemas';
import type { StudentEdit, StudentsService } from '../students/students.service';
import { cellText, dayText, foldKey, isNumberMangled } from './import-cells';
import type { Cell } from './import-file';
import type { ColumnSpec, Table } from './import-table';
import type { ImportCounts, ImportProblem } from './imports.types';

type StudentField = (typeof STUDENT_FIELDS)[number];

export const STUDENT_COLUMNS: readonly ColumnSpec<StudentField>[] = [
  { field: 'student_no', labels: ['student.student_no'], aliases: ['student number', '学生编号'], required: true },
  { field: 'name', labels: ['student.name'], aliases: ['full name'], required: true },
  { field: 'gender', labels: ['student.gender'], aliases: ['sex'], required: true },
  { field: 'birth_date', labels: ['student.birth_date'], aliases: ['birthday', 'birthdate', '生日'] },
  { field: 'email', labels: ['student.email'], aliases: ['e-mail', '邮箱'] },
  { field: 'phone', labels: ['student.phone'], aliases: ['mobile', '手机', '手机号'] },
  { field: 'address', labels: ['student.address'] },
  {
    field: 'enrolment_year',
    labels: ['student.enrolment_year'],
    aliases: ['enrollment_year', 'enrollment year', '入学年度'],
    required: true,
  },
  { field: 'status', labels: ['student.status'], aliases: ['状态'] },
  { field: 'class_id', labels: ['student.class_id'], aliases: ['class', 'class_code', '班级代码', '班级编号'] },
];

/** What the students feature is asked: its bulk writes and who has these numbers. */
export type StudentsPort = Pick<StudentsService, 'createMany' | 'updateMany' | 'findManyByNumbers'>;
/** What the classes (organisation) are asked: active classes by code or name, and all of them (a template's list). */
export interface ClassesPort {
  activeByCodeOrName(values: readonly string[], trx?: Knex): Promise<ClassRow[]>;
  active(limit?: number): Promise<ClassRow[]>;
}

const both = [translator('en'), translator('zh-CN')];

/** A choice as either language's pages show it (男, Male, male) -> its stored value. */
function choiceMap(values: readonly string[], prefix: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const value of values) {
    map.set(foldKey(value), value);
    for (const t of both) map.set(foldKey(t(`${prefix}.${value}`)), value);
  }
  return map;
}
const GENDER_CHOICES = choiceMap(GENDERS, 'gender');
const STATUS_CHOICES = choiceMap(STUDENT_STATUSES, 'status');

/** A row that passed the form's checks; its class (by code or name) resolved afterwards. */
interface ParsedStudent {
  row: number;
  input: StudentInput;
  /** A blank status: enrolled for a new student (as on the form), the stored one kept for a known one. */
  statusBlank: boolean;
}

export interface CheckedStudents {
  total: number;
  rows: ParsedStudent[];
  /** The fields the file has a column for: an update keeps what it has for the others. */
  present: ReadonlySet<StudentField>;
  columns: Table<StudentField>['columns'];
  problems: ImportProblem[];
}

/** The rows compared with the records in batches of this many (one lookup each). */
const BATCH = 500;

/** Stored and imported values compared as text: MySQL and SQLite hand back numbers and dates alike. */
const same = (a: unknown, b: unknown) =>
  (a === null || a === undefined ? null : String(a)) === (b === null || b === undefined ? null : String(b));

export class StudentsImport {
  constructor(private readonly ports: { students: StudentsPort; classes: ClassesPort }) {}

  /** Every row checked as the form checks it, numbers repeated in the file refused, classes resolved. */
  async check(table: Table<StudentField>, lang: Language): Promise<CheckedStudents> {
    const t = translator(lang);
    const { columns } = table;
    const problems: ImportProblem[] = [];
    const rows: ParsedStudent[] = [];
    const firstRowOf = new Map<string, number>();
    let total = 0;
    const cellOf = (cells: Cell[], field: StudentField): Cell | undefined => {
      const column = columns.get(field);
      return column ? cells[column.index] : undefined;
    };
    const problem = (row: number, field: StudentField, cell: Cell | undefined, message: string) =>
      problems.push({ row, column: columns.get(field)?.header ?? field, value: cellText(cell), message });

    // Every row's class, good rows or not, so a bad class is named beside the row's other mistakes.
    const classRefs: { row: number; text: string; parsed?: ParsedStudent }[] = [];
    for await (const { row, cells } of table.rows) {
      total++;
      const body: Record<string, unknown> = {};
      for (const [field] of columns) {
        if (field === 'class_id') continue;
        body[field] = fieldValue(field, cellOf(cells, field));
      }
      const numberCell = cellOf(cells, 'student_no');
      const mangled = isNumberMangled(numberCell);
      if (mangled) problem(row, 'student_no', numberCell, t('imports.problems.student_no_number'));
      const result = studentInputSchema.safeParse(body);
      if (!result.success) {
        const fields = fieldErrorsOf(result.error.issues);
        for (const [field, key] of Object.entries(fields)) {
          if (field === 'student_no' && mangled) continue;
          problem(row, field as StudentField, cellOf(cells, field as StudentField), t(key));
        }
      }
      const classText = cellText(cellOf(cells, 'class_id')).trim();
      const ref: { row: number; text: string; parsed?: ParsedStudent } | undefined =
        classText === '' ? undefined : { row, text: classText };
      if (ref) classRefs.push(ref);
      // A number seen before is refused on each later row, whatever else is wrong with either.
      const number = result.success ? result.data.student_no : cellText(numberCell).trim().toUpperCase();
      if (number !== '' && !mangled) {
        const first = firstRowOf.get(number);
        if (first !== undefined) {
          problem(row, 'student_no', numberCell, t('imports.problems.duplicate', { row: String(first) }));
          continue;
        }
        firstRowOf.set(number, row);
      }
      if (!result.success || mangled) continue;
      const statusBlank = cellText(cellOf(cells, 'status')).trim() === '';
      const parsed: ParsedStudent = { row, input: result.data, statusBlank };
      if (ref) ref.parsed = parsed;
      rows.push(parsed);
    }
    const unresolved = await this.resolveClasses(
      classRefs,
      (r, message) => problem(r.row, 'class_id', r.text, message),
      t,
    );
    return {
      total,
      rows: unresolved.size === 0 ? rows : rows.filter((r) => !unresolved.has(r.row)),
      present: new Set(columns.keys()),
      columns,
      problems,
    };
  }

  /**
   * Each row's class by its code, else by its name when one class has it, in a few queries for the whole
   * file; the rows (numbers) whose class is not found.
   */
  private async resolveClasses(
    refs: { row: number; text: string; parsed?: ParsedStudent }[],
    refuse: (ref: { row: number; text: string }, message: string) => void,
    t: ReturnType<typeof translator>,
  ): Promise<Set<number>> {
    const unresolved = new Set<number>();
    if (refs.length === 0) return unresolved;
    const wanted = [...new Set(refs.flatMap((r) => [r.text, r.text.toUpperCase()]))];
    const classes = await this.ports.classes.activeByCodeOrName(wanted);
    const byCode = new Map(classes.map((c) => [foldKey(c.code), Number(c.id)]));
    const byName = new Map<string, number[]>();
    for (const c of classes) byName.set(foldKey(c.name), [...(byName.get(foldKey(c.name)) ?? []), Number(c.id)]);
    for (const ref of refs) {
      const key = foldKey(ref.text);
      const named = byName.get(key) ?? [];
      const id = byCode.get(key) ?? (named.length === 1 ? named[0] : undefined);
      if (id !== undefined) {
        if (ref.parsed) ref.parsed.input = { ...ref.parsed.input, class_id: id };
        continue;
      }
      unresolved.add(ref.row);
      refuse(ref, t(named.length > 1 ? 'imports.problems.class_ambiguous' : 'imports.problems.class_unknown'));
    }
    return unresolved;
  }

  /**
   * The checked rows against the records, in batches: new numbers are created, known ones updated where a
   * field differs (the fields the file has no column for kept as they are), the rest counted unchanged.
   * With `write` (a commit, inside its transaction: the rows are read under lock), each batch is written
   * through the students feature's bulk writes, until a problem is found (the caller then rolls back).
   */
  async apply(
    checked: CheckedStudents,
    lang: Language,
    options: { write?: { trx: Knex.Transaction; actor: ActorContext }; onProgress?: (done: number) => void },
  ): Promise<{ counts: ImportCounts; problems: ImportProblem[] }> {
    const t = translator(lang);
    const counts: ImportCounts = { created: 0, updated: 0, unchanged: 0 };
    const problems: ImportProblem[] = [];
    const { write } = options;
    const numberColumn = checked.columns.get('student_no')!.header;
    for (let i = 0; i < checked.rows.length; i += BATCH) {
      const batch = checked.rows.slice(i, i + BATCH);
      const existing = new Map(
        (
          await this.ports.students.findManyByNumbers(
            batch.map((r) => r.input.student_no),
            write?.trx,
            { lock: write !== undefined },
          )
        ).map((s) => [s.student_no.toUpperCase(), s]),
      );
      const creates: StudentInput[] = [];
      const updates: StudentEdit[] = [];
      for (const r of batch) {
        const row = existing.get(r.input.student_no);
        if (!row) {
          creates.push(r.input);
          continue;
        }
        const input = merged(row, r, checked.present);
        if (STUDENT_FIELDS.every((f) => same(row[f], input[f]))) counts.unchanged++;
        else if (row.deleted_at)
          problems.push({
            row: r.row,
            column: numberColumn,
            value: r.input.student_no,
            message: t('imports.problems.archived'),
          });
        else updates.push({ id: Number(row.id), version: Number(row.version), input });
      }
      counts.created += creates.length;
      counts.updated += updates.length;
      if (write && problems.length === 0) {
        const options = { transacting: write.trx };
        if (creates.length > 0) await this.ports.students.createMany(creates, write.actor, options);
        if (updates.length > 0) await this.ports.students.updateMany(updates, write.actor, options);
      }
      options.onProgress?.(Math.min(i + BATCH, checked.rows.length));
    }
    return { counts, problems };
  }
}

/** A cell as the form's field for `field` takes it. */
function fieldValue(field: StudentField, cell: Cell | undefined): string {
  switch (field) {
    case 'birth_date':
      return dayText(cell);
    case 'gender':
      return GENDER_CHOICES.get(foldKey(cellText(cell))) ?? cellText(cell);
    case 'status': {
      const text = cellText(cell);
      return text.trim() === '' ? '' : (STATUS_CHOICES.get(foldKey(text)) ?? text);
    }
    default:
      return cellText(cell);
  }
}

/** The record as the import leaves it: the file's values where it has a column, the stored ones elsewhere. */
function merged(row: StudentRow, parsed: ParsedStudent, present: ReadonlySet<StudentField>): StudentInput {
  const out = { ...parsed.input } as Record<StudentField, unknown>;
  for (const field of STUDENT_FIELDS) {
    const kept = !present.has(field) || (field === 'status' && parsed.statusBlank);
    if (kept) out[field] = field === 'enrolment_year' ? Number(row[field]) : (row[field] ?? null);
  }
  return out as StudentInput;
}
