// What an import is asked to do and what it answers: the shapes the job runner and the pages read.
import type { Knex } from 'knex';
import type { ActorContext } from '../audit/audit-context';
import type { Language } from '../i18n/i18n';

export const IMPORT_KINDS = ['students', 'grades'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_MODES = ['dry_run', 'commit'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

/** One mistake in the file: `row` as a spreadsheet numbers it (the header is row 1), `column` as its header is written. */
export interface ImportProblem {
  row: number;
  column: string;
  value: string;
  message: string;
}

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/**
 * `total`: the data rows read. `counts`: what the commit wrote, or (a dry run) what it would write, for the
 * rows without a problem; all 0 for a commit refused for its problems (it wrote nothing). `errors`: the
 * problems that stop a commit, in file order. `warnings`: problems of the header row that do not (an
 * unknown column, ignored; a column repeated, the later one ignored).
 */
export interface ImportReport {
  total: number;
  counts: ImportCounts;
  errors: ImportProblem[];
  warnings: ImportProblem[];
}

export interface ImportRequest {
  kind: ImportKind;
  mode: ImportMode;
  /** The section whose grades are imported (kind 'grades'). */
  sectionId?: number;
  /** Who imports: every audit entry of the import names them. */
  actor: ActorContext;
  /** The language of the problems' messages and of a refused file's message. */
  lang: Language;
  /** The uploaded file on disk; `originalName` is what the user called it (kept in the audit entry). */
  file: { path: string; originalName: string };
}

export interface ImportHooks {
  /**
   * Progress: while the file is read, `total` is 0 (not known yet) and `done` counts the rows read; then
   * `total` is the number of data rows and `done` counts those checked against the records (dry run) or written.
   */
  onProgress?: (done: number, total: number) => void;
  /**
   * Runs inside the commit's transaction, after every write and before it commits (not on a dry run), with
   * the report the commit will answer: the job runner marks its job done there, so that it happens once.
   */
  within?: (trx: Knex.Transaction, report: ImportReport) => Promise<void>;
}
