import { parseIdOrNotFound } from '../lib/ids';
// The grade grid of a section: every cell validated, saved in one transaction with an audit row per
// changed grade; each cell carries its version, so two teachers cannot silently overwrite each other.
import type { Knex } from 'knex';
import type { ActorContext } from '../audit/audit-context';
import type { AuditEntry, AuditRepository } from '../audit/audit.repository';
import { isUniqueViolation } from '../db/errors';
import { inWriteTransaction } from '../db/write-transaction';
import type { WriteOptions } from '../records/record-writes';
import { ConflictError, NotFoundError, StaleVersionError, ValidationError } from '../lib/errors';
import { EXPORT_BATCH_SIZE } from '../lib/export';
import { inBatches } from '../lib/keyset';
import type { GradesEvent, GradeValues, GradesRepository, GridRow, SectionForGrades } from './grades.repository';
import { type GradeDistribution, gradeDistribution } from './grade-distribution';
import { cellField, parseCell, parseReopenReason, readCells } from './grades.schemas';

export interface GradeGrid {
  section: SectionForGrades;
  rows: GridRow[];
  distribution: GradeDistribution;
}

const gridOf = (section: SectionForGrades, rows: GridRow[]): GradeGrid => ({
  section,
  rows,
  distribution: gradeDistribution(rows, section.grading),
});

/** One cell someone else saved after the grid was opened: what is saved now. */
export interface StaleCell {
  enrolment_id: number;
  field: string;
  score: number | null;
  passed: boolean | null;
  version: number;
}

/** A 409 naming each stale cell with its current value; nothing of the grid was saved. */
export class StaleGradesError extends StaleVersionError {
  constructor(readonly cells: StaleCell[]) {
    super({ cells });
  }
}

const parseId = (raw: unknown) => parseIdOrNotFound(raw, 'grades.section_not_found');

const sameValues = (row: GridRow, values: GradeValues) => row.score === values.score && row.passed === values.passed;

const staleCell = (row: GridRow, field: string): StaleCell => ({
  enrolment_id: row.enrolment_id,
  field,
  score: row.score,
  passed: row.passed,
  version: row.version,
});

export class GradesService {
  constructor(
    private readonly db: Knex,
    private readonly grades: GradesRepository,
    private readonly audit: AuditRepository,
  ) {}

  /**
   * The grid as it stands; in a caller's transaction (`transacting`), read under the section's lock, so a
   * save later in that transaction (an import) finds it as read.
   */
  async grid(rawId: unknown, options: WriteOptions = {}): Promise<GradeGrid> {
    const id = parseId(rawId);
    const trx = options.transacting ?? this.db;
    const section = await this.grades.findSection(id, trx, { lock: options.transacting !== undefined });
    if (!section) throw new NotFoundError('grades.section_not_found');
    return gridOf(section, await this.grades.grid(id, trx));
  }

  /**
   * The grid of a section as an export reads it: the section (404 as for the page), and its rows by
   * student number, `size` at a time.
   */
  async gridExport(
    rawId: unknown,
    size = EXPORT_BATCH_SIZE,
  ): Promise<{ section: SectionForGrades; batches: AsyncIterable<GridRow[]> }> {
    const id = parseId(rawId);
    const section = await this.grades.findSection(id);
    if (!section) throw new NotFoundError('grades.section_not_found');
    const batches = inBatches(
      (after, limit) => this.grades.gridBatch(id, after, limit),
      (row) => ({ value: row.student_no, id: row.enrolment_id }),
      size,
    );
    return { section, batches };
  }

  /**
   * Saves the whole grid or nothing: a bad cell is a field error, a stale cell a 409, a locked section a 409.
   * Joins the caller's transaction when given one (an import writes its grades and its own entry together).
   */
  async save(
    rawId: unknown,
    body: unknown,
    ctx: ActorContext,
    options: WriteOptions = {},
  ): Promise<GradeGrid & { changed: number }> {
    const id = parseId(rawId);
    const cells = readCells(body);
    const inTransaction = <T>(work: (trx: Knex.Transaction) => Promise<T>) =>
      options.transacting ? work(options.transacting) : inWriteTransaction(this.db, ctx, work);
    return inTransaction(async (trx) => {
      // The section row lock makes grid saves of one section take turns.
      const section = await this.grades.findSection(id, trx, { lock: true });
      if (!section) throw new NotFoundError('grades.section_not_found');
      if (section.grades_locked_at) throw new ConflictError('grades.locked', 'grades_locked');
      const rows = new Map((await this.grades.grid(id, trx)).map((r) => [r.enrolment_id, r]));
      const valueKind = section.grading === 'score' ? 'score' : 'passed';

      const errors: Record<string, string> = {};
      const changes: { row: GridRow; values: GradeValues; version: number }[] = [];
      for (const [enrolmentId, cell] of cells) {
        const parsed = parseCell(enrolmentId, cell, section.grading);
        Object.assign(errors, parsed.errors);
        const row = rows.get(enrolmentId);
        if (!row) {
          errors[cellField(valueKind, enrolmentId)] = 'grades.validation.not_enrolled';
          continue;
        }
        if (parsed.values && !sameValues(row, parsed.values))
          changes.push({ row, values: parsed.values, version: parsed.version });
      }
      if (Object.keys(errors).length > 0) throw new ValidationError(errors);

      // A cell whose value did not change needs no version check: nothing of anyone's is replaced.
      const stale = changes.filter((c) => c.version !== c.row.version);
      if (stale.length > 0)
        throw new StaleGradesError(stale.map((c) => staleCell(c.row, cellField(valueKind, c.row.enrolment_id))));

      for (const change of changes) await this.apply(change, valueKind, ctx, trx);
      return { ...gridOf(section, await this.grades.grid(id, trx)), changed: changes.length };
    });
  }

  private async apply(
    change: { row: GridRow; values: GradeValues; version: number },
    valueKind: 'score' | 'passed',
    ctx: ActorContext,
    trx: Knex.Transaction,
  ): Promise<void> {
    const { row, values, version } = change;
    const before = await this.grades.findGrade(row.enrolment_id, trx);
    const stale = async () => {
      const current = await this.grades.findGrade(row.enrolment_id, trx);
      const now = {
        ...row,
        score: current?.score ?? null,
        passed: current?.passed ?? null,
        version: current?.version ?? 0,
      };
      return new StaleGradesError([staleCell(now, cellField(valueKind, row.enrolment_id))]);
    };
    if (before) {
      const changed = await this.grades.updateIfVersion(row.enrolment_id, version, values, ctx.actorId, trx);
      if (changed === 0) throw await stale();
    } else {
      await this.grades.insert(row.enrolment_id, values, ctx.actorId, trx).catch(async (err: unknown) => {
        if (isUniqueViolation(err)) throw await stale();
        throw err;
      });
    }
    const after = (await this.grades.findGrade(row.enrolment_id, trx))!;
    const action = before ? 'update' : 'create';
    await this.audit.record({ ...ctx, action, entity: 'grade', entityId: after.id, before, after }, trx);
  }

  /**
   * Which of these enrolments have a grade recorded: selection asks, as a graded course is not dropped.
   * Given the caller's transaction (under the section's lock), a current read.
   */
  async gradedAmong(enrolmentIds: readonly number[], trx?: Knex): Promise<Set<number>> {
    return new Set(await this.grades.gradedAmong(enrolmentIds, trx, trx !== undefined));
  }

  /** Who locked the grades (while locked) or reopened them with what reason (while reopened). */
  async gradesEvent(section: SectionForGrades): Promise<GradesEvent | null> {
    if (section.grades_locked_at) return (await this.grades.lastEvent(section.id, 'lock_grades')) ?? null;
    if (section.grades_reopened_at) return (await this.grades.lastEvent(section.id, 'reopen_grades')) ?? null;
    return null;
  }

  /**
   * Reopens a section's published grades for correction (administrators; the route checks the role), with
   * the reason in the audit row. Until they are locked again they count as unpublished: out of GPAs and
   * transcripts, shown to the student as being corrected. Reopening open grades changes nothing.
   */
  async reopen(
    rawId: unknown,
    body: unknown,
    ctx: ActorContext,
  ): Promise<{ section: SectionForGrades; changed: boolean }> {
    const id = parseId(rawId);
    const reason = parseReopenReason(body);
    if (!reason.ok) throw new ValidationError({ reason: reason.error });
    return inWriteTransaction(this.db, ctx, async (trx) => {
      const before = await this.grades.findSection(id, trx, { lock: true });
      if (!before) throw new NotFoundError('grades.section_not_found');
      const changed = (await this.grades.reopenSection(id, trx)) > 0;
      const after = (await this.grades.findSection(id, trx))!;
      if (changed) {
        const audit: AuditEntry = {
          ...ctx,
          action: 'reopen_grades',
          entity: 'section',
          entityId: id,
          before,
          after: { ...after, reason: reason.value },
        };
        await this.audit.record(audit, trx);
      }
      return { section: after, changed };
    });
  }

  /** Locks (publishes) the grades of a section; locking a locked section changes nothing. */
  async lock(rawId: unknown, ctx: ActorContext): Promise<{ section: SectionForGrades; changed: boolean }> {
    const id = parseId(rawId);
    return inWriteTransaction(this.db, ctx, async (trx) => {
      const before = await this.grades.findSection(id, trx, { lock: true });
      if (!before) throw new NotFoundError('grades.section_not_found');
      const changed = (await this.grades.lockSection(id, trx)) > 0;
      const after = (await this.grades.findSection(id, trx))!;
      if (changed) {
        const audit: AuditEntry = { ...ctx, action: 'lock_grades', entity: 'section', entityId: id, before, after };
        await this.audit.record(audit, trx);
      }
      return { section: after, changed };
    });
  }
}
