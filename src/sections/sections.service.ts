// The rules for sections: validation, the course/term/teacher they point at, capacity never below the
// seats already taken, meetings replaced in the same transaction as the section, optimistic versions.
import type { Knex } from 'knex';
import type { ActorContext } from '../audit/audit-context';
import type { AuditRepository } from '../audit/audit.repository';
import { collectFieldErrors } from '../lib/validate';
import { isUniqueViolation } from '../db/errors';
import { inWriteTransaction } from '../db/write-transaction';
import { ConflictError, NotFoundError, StaleVersionError, ValidationError } from '../lib/errors';
import { parseIdOrNotFound } from '../lib/ids';
import type { SortState } from '../lib/sorting';
import { parseOrThrow } from '../lib/validate';
import { versionSchema } from '../students/students.schemas';
import type { SectionDetailRow, SectionListRow, SectionsRepository, TermRef } from './sections.repository';
import {
  type MeetingInput,
  type SectionInput,
  sectionBody,
  sectionInputSchema,
  sectionListQuerySchema,
} from './sections.schemas';

export interface SectionPage {
  term: TermRef | null;
  rows: SectionListRow[];
  total: number;
  page: number;
  size: number;
  pages: number;
  sort: SortState;
}

export interface SectionDetail {
  section: SectionDetailRow;
  meetings: MeetingInput[];
}

const parseId = (raw: unknown) => parseIdOrNotFound(raw, 'catalogue.sections.not_found');

function constraintToFieldError(err: unknown): never {
  if (isUniqueViolation(err)) throw new ValidationError({ section_no: 'catalogue.validation.section_no_taken' });
  throw err;
}

export class SectionsService {
  constructor(
    private readonly db: Knex,
    private readonly sections: SectionsRepository,
    private readonly audit: AuditRepository,
    /** Hands newly free seats to the waiting list, in the same transaction (enrolments' rules). */
    private readonly fillFreeSeats: (
      sectionId: number,
      ctx: ActorContext,
      trx: Knex.Transaction,
    ) => Promise<unknown> = async () => [],
  ) {}

  /** A term's sections (the current term when none is named); an unknown term lists nothing. */
  async list(rawQuery: unknown): Promise<SectionPage> {
    const query = parseOrThrow(sectionListQuerySchema, rawQuery);
    const term = (query.term ? await this.sections.findTerm(query.term) : await this.sections.currentTerm()) ?? null;
    const { rows, total } = term ? await this.sections.list(term.id, query) : { rows: [], total: 0 };
    return {
      term,
      rows,
      total,
      page: query.page,
      size: query.size,
      pages: Math.max(1, Math.ceil(total / query.size)),
      sort: { sort: query.sort, dir: query.dir },
    };
  }

  async get(rawId: unknown, trx: Knex = this.db): Promise<SectionDetail> {
    const id = parseId(rawId);
    const section = await this.sections.findDetail(id, trx);
    if (!section) throw new NotFoundError('catalogue.sections.not_found');
    const meetings = (await this.sections.meetingsOf([id], trx)).get(id) ?? [];
    return { section, meetings };
  }

  async getForEdit(rawId: unknown): Promise<SectionDetail> {
    const detail = await this.get(rawId);
    if (detail.section.deleted_at) throw new ConflictError('catalogue.sections.archived_cannot_edit', 'archived');
    return detail;
  }

  /** Choices for the section form. */
  async formOptions() {
    const [terms, teachers, current] = await Promise.all([
      this.sections.terms(),
      this.sections.teacherOptions(),
      this.sections.currentTerm(),
    ]);
    return { terms, teachers, currentTermId: current?.id ?? null };
  }

  terms() {
    return this.sections.terms();
  }

  /** The course, term and teacher must exist (and not be archived): one field error each. */
  private async checkReferences(data: SectionInput, trx: Knex): Promise<void> {
    const errors: Record<string, string> = {};
    if (!(await this.sections.activeCourseExists(data.course_id, trx)))
      errors.course_id = 'catalogue.validation.course_unknown';
    if (!(await this.sections.termExists(data.term_id, trx))) errors.term_id = 'catalogue.validation.term_unknown';
    if (data.teacher_staff_id !== null && !(await this.sections.activeStaffExists(data.teacher_staff_id, trx)))
      errors.teacher_staff_id = 'catalogue.validation.teacher_unknown';
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  }

  async create(input: unknown, ctx: ActorContext): Promise<SectionDetail> {
    const data = parseOrThrow(sectionInputSchema, sectionBody(input));
    return inWriteTransaction(this.db, ctx, async (trx) => {
      await this.checkReferences(data, trx);
      const id = await this.sections.insert(data, trx).catch(constraintToFieldError);
      await this.sections.replaceMeetings(id, data.meetings, trx);
      const created = await this.get(id, trx);
      await this.audit.record({ ...ctx, action: 'create', entity: 'section', entityId: id, after: created }, trx);
      return created;
    });
  }

  /** Saves section and meetings together only when `version` is still current; otherwise 409. */
  async update(rawId: unknown, input: unknown, ctx: ActorContext): Promise<SectionDetail> {
    const id = parseId(rawId);
    const body = sectionBody(input);
    const fieldErrors: Record<string, string> = {};
    const data = collectFieldErrors(() => parseOrThrow(sectionInputSchema, body), fieldErrors);
    const version = collectFieldErrors(() => parseOrThrow(versionSchema, body).version, fieldErrors);
    if (fieldErrors.version) fieldErrors.version = 'validation.version';
    if (data === undefined || version === undefined) throw new ValidationError(fieldErrors);

    return inWriteTransaction(this.db, ctx, async (trx) => {
      // The row lock also holds back enrolments (their guarded update waits), so the capacity check holds.
      const row = await this.sections.findById(id, trx, { lock: true });
      if (!row) throw new NotFoundError('catalogue.sections.not_found');
      if (row.deleted_at) throw new ConflictError('catalogue.sections.archived_cannot_edit', 'archived');
      const before = await this.get(id, trx);
      if (row.version !== version) throw new StaleVersionError({ ...before.section, meetings: before.meetings });
      await this.checkReferences(data, trx);
      if (data.capacity < row.enrolled_count)
        throw new ValidationError({ capacity: 'catalogue.validation.capacity_below_enrolled' });
      const moved = data.course_id !== row.course_id || data.term_id !== row.term_id;
      if (moved && (await this.sections.enrolmentCount(id, trx)) > 0) {
        throw new ValidationError({
          ...(data.course_id !== row.course_id && { course_id: 'catalogue.validation.section_has_enrolments' }),
          ...(data.term_id !== row.term_id && { term_id: 'catalogue.validation.section_has_enrolments' }),
        });
      }
      const changed = await this.sections.updateIfVersion(id, version, data, trx).catch(constraintToFieldError);
      if (changed === 0) throw new StaleVersionError({ ...(await this.sections.findById(id, trx)) });
      await this.sections.replaceMeetings(id, data.meetings, trx);
      if (data.capacity > row.capacity) await this.fillFreeSeats(id, ctx, trx);
      const after = await this.get(id, trx);
      await this.audit.record({ ...ctx, action: 'update', entity: 'section', entityId: id, before, after }, trx);
      return after;
    });
  }

  /** Archives a section nobody holds a seat in; archiving it twice changes nothing. */
  archive(rawId: unknown, ctx: ActorContext): Promise<{ detail: SectionDetail; changed: boolean }> {
    const id = parseId(rawId);
    return inWriteTransaction(this.db, ctx, async (trx) => {
      const row = await this.sections.findById(id, trx, { lock: true });
      if (!row) throw new NotFoundError('catalogue.sections.not_found');
      if (!row.deleted_at && row.enrolled_count > 0)
        throw new ConflictError('catalogue.sections.has_enrolled', 'section_has_enrolments');
      const before = await this.get(id, trx);
      const changed = (await this.sections.setArchived(id, trx)) > 0;
      const after = await this.get(id, trx);
      if (changed) {
        await this.audit.record({ ...ctx, action: 'archive', entity: 'section', entityId: id, before, after }, trx);
      }
      return { detail: after, changed };
    });
  }

  /**
   * Restores an archived section (administrators; the route checks the role); restoring an active one
   * changes nothing. A section of an archived course stays archived until its course is restored.
   */
  restore(rawId: unknown, ctx: ActorContext): Promise<{ detail: SectionDetail; changed: boolean }> {
    const id = parseId(rawId);
    return inWriteTransaction(this.db, ctx, async (trx) => {
      const row = await this.sections.findById(id, trx, { lock: true });
      if (!row) throw new NotFoundError('catalogue.sections.not_found');
      if (row.deleted_at && !(await this.sections.activeCourseExists(row.course_id, trx)))
        throw new ConflictError('catalogue.sections.course_archived', 'course_archived');
      const before = await this.get(id, trx);
      const changed = (await this.sections.restore(id, trx)) > 0;
      const after = await this.get(id, trx);
      if (changed) {
        await this.audit.record({ ...ctx, action: 'restore', entity: 'section', entityId: id, before, after }, trx);
      }
      return { detail: after, changed };
    });
  }

  history(id: number) {
    return this.audit.forEntity('section', id);
  }
}
