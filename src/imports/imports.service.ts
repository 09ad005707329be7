// Imports of students and of a section's grades from .xlsx and .csv files: the whole file read and
// checked first (every problem by row and column, in the user's language), then, for a commit without
// problems, everything written in one transaction through the features' own write paths, with one audit
// entry for the import itself. A dry run writes nothing and counts what a commit would do.
import type { Knex } from 'knex';
import type { AuditRepository } from '../audit/audit.repository';
import { inTransaction } from '../db/transaction';
import type { Language } from '../i18n/i18n';
import { GradesImport, type GradesPort, gradeColumns } from './grades-import';
import { readRows, sniffFile } from './import-file';
import { buildTemplate, type TemplateFile, type TemplateFormat } from './import-templates';
import { readTable } from './import-table';
import { fileErrors } from './imports.errors';
import {
  IMPORT_KINDS,
  IMPORT_MODES,
  type ImportCounts,
  type ImportHooks,
  type ImportKind,
  type ImportProblem,
  type ImportReport,
  type ImportRequest,
} from './imports.types';
import { type ClassesPort, STUDENT_COLUMNS, StudentsImport, type StudentsPort } from './students-import';

export { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from './import-file';
export type * from './imports.types';

const NO_COUNTS: ImportCounts = { created: 0, updated: 0, unchanged: 0 };

/** Thrown inside a commit's transaction to roll it back when the records show a problem (an archived number). */
class Refused extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super('import refused');
  }
}

export interface ImportPorts {
  students: StudentsPort;
  classes: ClassesPort;
  grades: GradesPort;
}

/** The size and row limits (MAX_IMPORT_BYTES, MAX_IMPORT_ROWS unless given: tests use small ones). */
export interface ImportLimits {
  maxBytes?: number;
  maxRows?: number;
}

export class ImportsService {
  private readonly studentsImport: StudentsImport;
  private readonly gradesImport: GradesImport;

  constructor(
    private readonly db: Knex,
    private readonly audit: AuditRepository,
    private readonly ports: ImportPorts,
    private readonly limits: ImportLimits = {},
  ) {
    this.studentsImport = new StudentsImport({ students: ports.students, classes: ports.classes });
    this.gradesImport = new GradesImport(ports.grades);
  }

  /**
   * Reads and checks the whole file; a commit without problems writes everything in one transaction and
   * runs `within(trx)` in it before it commits. A problem anywhere means nothing is written. A file that
   * cannot be imported at all (not a spreadsheet, empty, no header, a required column missing, a locked
   * section) throws an ImportFileError (4xx) instead.
   */
  async run(req: ImportRequest, hooks: ImportHooks = {}): Promise<ImportReport> {
    const { lang } = req;
    if (!(IMPORT_KINDS as readonly string[]).includes(req.kind)) throw fileErrors.unknownKind(lang);
    if (!(IMPORT_MODES as readonly string[]).includes(req.mode)) throw fileErrors.unknownMode(lang);
    if (req.kind === 'grades') {
      if (req.sectionId === undefined || !Number.isSafeInteger(req.sectionId) || req.sectionId <= 0)
        throw fileErrors.sectionRequired(lang);
      return this.grades(req, req.sectionId, hooks);
    }
    return this.students(req, hooks);
  }

  /** The template of `kind` in the user's language: the header, an example row, the accepted values. */
  async template(kind: ImportKind, format: TemplateFormat, lang: Language): Promise<TemplateFile> {
    const classes = kind === 'students' ? await this.ports.classes.active() : [];
    return buildTemplate(kind, format, lang, classes);
  }

  private rows(req: ImportRequest) {
    const format = sniffFile(req.file.path, req.lang, this.limits.maxBytes);
    return readRows(req.file.path, format, req.lang);
  }

  private table(req: ImportRequest, onRows: (read: number) => void) {
    return readTable(this.rows(req), STUDENT_COLUMNS, req.lang, { maxRows: this.limits.maxRows, onRow: onRows });
  }

  /**
   * Students: a dry run is one pass over the file, a batch at a time (memory stays flat). A commit makes
   * that pass first; only a file without problems is read again, inside the transaction, each batch
   * looked up under lock and written, so a file with mistakes never opens a transaction at all.
   */
  private async students(req: ImportRequest, hooks: ImportHooks): Promise<ImportReport> {
    const { lang } = req;
    const progress = hooks.onProgress ?? (() => {});
    const reading = (read: number) => progress(read, 0);
    const table = await this.table(req, reading);
    const checked = await this.studentsImport.pass(table, lang, { onRows: reading });
    if (checked.total === 0) throw fileErrors.noRows(lang);
    const { total } = checked;
    const report = (counts: ImportCounts, errors: ImportProblem[]): ImportReport => ({
      total,
      counts: req.mode === 'commit' && errors.length > 0 ? NO_COUNTS : counts,
      errors: sortProblems(errors),
      warnings: table.problems,
    });
    if (req.mode === 'dry_run' || checked.problems.length > 0) {
      progress(total, total);
      return report(checked.counts, checked.problems);
    }
    progress(0, total);
    return this.commit(req, hooks, report, async (trx) => {
      const again = await this.table(req, () => {});
      const written = await this.studentsImport.pass(again, lang, {
        write: { trx, actor: req.actor },
        onRows: (done) => progress(Math.min(done, total), total),
      });
      // What changed between the passes (a record archived meanwhile) refuses the file as the dry run would.
      if (written.problems.length > 0) throw new Refused(written.problems);
      return { counts: written.counts, entity: 'student', entityId: null };
    });
  }

  private async grades(req: ImportRequest, sectionId: number, hooks: ImportHooks): Promise<ImportReport> {
    const { lang } = req;
    const progress = hooks.onProgress ?? (() => {});
    // The section first: a locked one refuses the file before it is read.
    const grid = await this.gradesImport.grid(sectionId, lang);
    const table = await readTable(this.rows(req), gradeColumns(grid.section.grading), lang, {
      maxRows: this.limits.maxRows,
      onRow: (n) => progress(n, 0),
    });
    const read = await this.gradesImport.read(table, lang);
    if (read.total === 0) throw fileErrors.noRows(lang);
    const { total } = read;
    const report = (counts: ImportCounts, errors: ImportProblem[]): ImportReport => ({
      total,
      counts: req.mode === 'commit' && errors.length > 0 ? NO_COUNTS : counts,
      errors: sortProblems(errors),
      warnings: table.problems,
    });
    progress(0, total);

    const planned = this.gradesImport.plan(read, grid, lang);
    const problems = [...read.problems, ...planned.problems];
    if (req.mode === 'dry_run' || problems.length > 0) {
      progress(total, total);
      return report(planned.counts, problems);
    }
    return this.commit(req, hooks, report, async (trx) => {
      // Again under the section's lock: the grid as the save will find it.
      const current = this.gradesImport.plan(read, await this.gradesImport.grid(sectionId, lang, trx), lang);
      if (current.problems.length > 0) throw new Refused(current.problems);
      const refused = await this.gradesImport.save(sectionId, current, read, trx, req.actor, lang);
      if (refused.length > 0) throw new Refused(refused);
      progress(total, total);
      return { counts: current.counts, entity: 'section', entityId: sectionId };
    });
  }

  /**
   * One transaction: the writes, the import's own audit entry with its counts, then the caller's
   * `within`; a Refused rolls all of it back and answers the problems instead.
   */
  private async commit(
    req: ImportRequest,
    hooks: ImportHooks,
    report: (counts: ImportCounts, errors: ImportProblem[]) => ImportReport,
    work: (
      trx: Knex.Transaction,
    ) => Promise<{ counts: ImportCounts; entity: 'student' | 'section'; entityId: number | null }>,
  ): Promise<ImportReport> {
    try {
      return await inTransaction(this.db, async (trx) => {
        const { counts, entity, entityId } = await work(trx);
        const done = report(counts, []);
        await this.audit.record(
          {
            ...req.actor,
            action: 'import',
            entity,
            entityId,
            after: { kind: req.kind, file: req.file.originalName, total: done.total, ...counts },
          },
          trx,
        );
        await hooks.within?.(trx, done);
        return done;
      });
    } catch (err) {
      if (err instanceof Refused) return report(NO_COUNTS, err.problems);
      throw err;
    }
  }
}

/** Problems in the order of the file: by row, then as found within it. */
function sortProblems(problems: ImportProblem[]): ImportProblem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.row - b.p.row || a.i - b.i)
    .map(({ p }) => p);
}
