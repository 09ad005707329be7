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

/** A row that passed the form's checks; its class (by code or name) resolved with its batch. */
interface ParsedStudent {
  row: number;
  input: StudentInput;
  /** A blank status: enrolled for a new student (as on the form), the stored one kept for a known one. */
  statusBlank: boolean;
}

/** A row's class as written, and the row itself when it passed the form's checks. */
interface ClassRef {
  row: number;
  text: string;
  parsed?: ParsedStudent;
}

export interface StudentsPass {
  total: number;
  counts: ImportCounts;
  problems: ImportProblem[];
}

export interface PassOptions {
  /** A commit: the lookups under lock in this transaction, and each batch written (until a problem is found). */
  write?: { trx: Knex.Transaction; actor: ActorContext };
  /** Rows read so far. */
  onRows?: (read: number) => void;
}

/** Rows read, checked against the records and written in batches of this many (one lookup each). */
const BATCH = 500;

/** Stored and imported values compared as text: MySQL and SQLite hand back numbers and dates alike. */
const same = (a: unknown, b: unknown) =>
  (a === null || a === undefined ? null : String(a)) === (b === null || b === undefined ? null : String(b));

/** A class as a batch finds it: its id, or why none. */
type ClassFound = number | 'class_unknown' | 'class_ambiguous';

export class StudentsImport {
  constructor(private readonly ports: { students: StudentsPort; classes: ClassesPort }) {}

  /**
   * One pass over the file's rows, a batch at a time, so memory stays flat however long the file: each
   * row checked as the form checks it (numbers repeated in the file refused), its class resolved, then
   * looked up by student number: new numbers created, known ones updated where a field
   * differs (the columns the file leaves out kept as they are), the rest counted unchanged. With `write`,
   * each batch goes through the students feature's bulk writes; once a problem is found nothing more is
   * written and the caller rolls the transaction back.
   */
  async pass(table: Table<StudentField>, lang: Language, options: PassOptions): Promise<StudentsPass> {
    const t = translator(lang);
    const { columns } = table;
    const present: ReadonlySet<StudentField> = new Set(columns.keys());
    const problems: ImportProblem[] = [];
    const counts: ImportCounts = { created: 0, updated: 0, unchanged: 0 };
    const firstRowOf = new Map<string, number>();
    const classes = new Map<string, ClassFound>();
    let total = 0;
    let parsed: ParsedStudent[] = [];
    let refs: ClassRef[] = [];
    const cellOf = (cells: Cell[], field: StudentField): Cell | undefined => {
      const column = columns.get(field);
      return column ? cells[column.index] : undefined;
    };
    const problem = (row: number, field: StudentField, value: string, message: string) =>
      problems.push({ row, column: columns.get(field)?.header ?? field, value, message });

    const flush = async (batch: ParsedStudent[], batchRefs: ClassRef[], read: number) => {
      const good = await this.placeInClasses(batch, batchRefs, classes, options.write?.trx, (ref, key) =>
        problem(ref.row, 'class_id', ref.text, t(`imports.problems.${key}`)),
      );
      await this.upsert(
        good,
        present,
        counts,
        options,
        (r) => problem(r.row, 'student_no', r.input.student_no, t('imports.problems.archived')),
        problems,
      );
      options.onRows?.(read);
    };
    // A batch goes to the database while the next one is read (one batch at a time, in order).
    let inFlight: Promise<void> = Promise.resolve();
    const send = async () => {
      await inFlight;
      inFlight = flush(parsed, refs, total);
      inFlight.catch(() => {}); // awaited before the next batch, or at the end
      parsed = [];
      refs = [];
    };

    try {
      for await (const { row, cells } of table.rows) {
        total++;
        const body: Record<string, unknown> = {};
        for (const [field] of columns) if (field !== 'class_id') body[field] = fieldValue(field, cellOf(cells, field));
        const numberCell = cellOf(cells, 'student_no');
        const mangled = isNumberMangled(numberCell);
        if (mangled) problem(row, 'student_no', cellText(numberCell), t('imports.problems.student_no_number'));
        const result = studentInputSchema.safeParse(body);
        if (!result.success) {
          for (const [field, key] of Object.entries(fieldErrorsOf(result.error.issues))) {
            if (field === 'student_no' && mangled) continue;
            problem(row, field as StudentField, cellText(cellOf(cells, field as StudentField)), t(key));
          }
        }
        // Every row's class, good row or not, so a bad class is named beside the row's other mistakes.
        const classText = cellText(cellOf(cells, 'class_id')).trim();
        const ref: ClassRef | undefined = classText === '' ? undefined : { row, text: classText };
        if (ref) refs.push(ref);
        // A number seen before is refused on each later row, whatever else is wrong with either.
        const number = result.success ? result.data.student_no : cellText(numberCell).trim().toUpperCase();
        let repeated = false;
        if (number !== '' && !mangled) {
          const first = firstRowOf.get(number);
          if (first !== undefined) {
            problem(row, 'student_no', cellText(numberCell), t('imports.problems.duplicate', { row: String(first) }));
            repeated = true;
          } else firstRowOf.set(number, row);
        }
        if (result.success && !mangled && !repeated) {
          const statusBlank = cellText(cellOf(cells, 'status')).trim() === '';
          const student: ParsedStudent = { row, input: result.data, statusBlank };
          if (ref) ref.parsed = student;
          parsed.push(student);
        }
        if (total % BATCH === 0) await send();
      }
    } finally {
      // Never leave a batch running on the transaction when the reading stops (too many rows).
      await inFlight.catch(() => {});
    }
    await send();
    await inFlight;
    return { total, counts, problems };
  }

  /**
   * Each row's class by its code, else by its name when one class has it; the texts not seen before in one
   * query for the batch (`found` remembers them for the rest of the file). The rows whose class is found or not asked.
   */
  private async placeInClasses(
    parsed: ParsedStudent[],
    refs: ClassRef[],
    found: Map<string, ClassFound>,
    trx: Knex | undefined,
    refuse: (ref: ClassRef, key: 'class_unknown' | 'class_ambiguous') => void,
  ): Promise<ParsedStudent[]> {
    if (refs.length === 0) return parsed;
    const unseen = [...new Set(refs.map((r) => r.text).filter((text) => !found.has(foldKey(text))))];
    if (unseen.length > 0) {
      const rows = await this.ports.classes.activeByCodeOrName(
        [...new Set(unseen.flatMap((s) => [s, s.toUpperCase()]))],
        trx,
      );
      for (const text of unseen) {
        const key = foldKey(text);
        const byCode = rows.find((c) => foldKey(c.code) === key);
        const byName = rows.filter((c) => foldKey(c.name) === key);
        found.set(
          key,
          byCode
            ? Number(byCode.id)
            : byName.length === 1
              ? Number(byName[0]!.id)
              : byName.length > 1
                ? 'class_ambiguous'
                : 'class_unknown',
        );
      }
    }
    const refused = new Set<ParsedStudent>();
    for (const ref of refs) {
      const result = found.get(foldKey(ref.text))!;
      if (typeof result === 'number') {
        if (ref.parsed) ref.parsed.input = { ...ref.parsed.input, class_id: result };
        continue;
      }
      refuse(ref, result);
      if (ref.parsed) refused.add(ref.parsed);
    }
    return refused.size === 0 ? parsed : parsed.filter((p) => !refused.has(p));
  }

  /** A batch against the records: counted, and written in a commit while no problem has been found. */
  private async upsert(
    batch: ParsedStudent[],
    present: ReadonlySet<StudentField>,
    counts: ImportCounts,
    options: PassOptions,
    archived: (row: ParsedStudent) => void,
    problems: readonly ImportProblem[],
  ): Promise<void> {
    if (batch.length === 0) return;
    const { write } = options;
    const stored = await this.ports.students.findManyByNumbers(
      batch.map((r) => r.input.student_no),
      write?.trx,
      { lock: write !== undefined },
    );
    const existing = new Map(stored.map((s) => [s.student_no.toUpperCase(), s]));
    const creates: StudentInput[] = [];
    const updates: StudentEdit[] = [];
    for (const r of batch) {
      const row = existing.get(r.input.student_no);
      if (!row) {
        creates.push(r.input);
        continue;
      }
      const input = merged(row, r, present);
      if (STUDENT_FIELDS.every((f) => same(row[f], input[f]))) counts.unchanged++;
      else if (row.deleted_at) archived(r);
      else updates.push({ id: Number(row.id), version: Number(row.version), input });
    }
    counts.created += creates.length;
    counts.updated += updates.length;
    if (!write || problems.length > 0) return;
    const joined = { transacting: write.trx };
    if (creates.length > 0) await this.ports.students.createMany(creates, write.actor, joined);
    if (updates.length > 0) await this.ports.students.updateMany(updates, write.actor, joined);
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
