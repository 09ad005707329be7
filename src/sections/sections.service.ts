// The rules for sections: the shared record write path (records/record-writes.ts) with the section's own
// rules: the course, term and teacher it points at, capacity never below the seats already taken, meetings
// replaced in the same transaction as the section, freed seats handed to the waiting list.
import type { Knex } from 'knex';
import type { ActorContext } from '../audit/audit-context';
import type { AuditRepository } from '../audit/audit.repository';
import { isUniqueViolation } from '../db/errors';
import { ConflictError, ValidationError } from '../lib/errors';
import type { SortState } from '../lib/sorting';
import { parseOrThrow } from '../lib/validate';
import { RecordWrites } from '../records/record-writes';
import type { Option } from '../records/records.types';
import type { TermRef } from '../terms/terms.repository';
import type { SectionDetailRow, SectionListRow, SectionRow, SectionsRepository } from './sections.repository';
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

/** What sections ask of other features: each a named port, every one required (features.ts wires them). */
export interface SectionPorts {
  terms: {
    current(trx?: Knex): Promise<TermRef | undefined>;
    find(ref: string | number, trx?: Knex): Promise<TermRef | undefined>;
    /** Every term, newest first, with which one is current. */
    all(): Promise<(TermRef & { current_marker: number | null })[]>;
  };
  courses: {
    isActive(id: number, trx?: Knex): Promise<boolean>;
    options(): Promise<{ id: number; code: string; name: string; name_en: string | null }[]>;
  };
  teachers: {
    exists(id: number, trx?: Knex): Promise<boolean>;
    options(): Promise<Option[]>;
  };
  /** Hands newly free seats to the waiting list, in the same transaction (enrolments' rules). */
  seats: {
    fillFreeSeats(sectionId: number, ctx: ActorContext, trx: Knex.Transaction): Promise<unknown>;
  };
}

function constraintToFieldError(err: unknown): never {
  if (isUniqueViolation(err)) throw new ValidationError({ section_no: 'catalogue.validation.section_no_taken' });
  throw err;
}

async function sectionDetail(sections: SectionsRepository, id: number, trx: Knex): Promise<SectionDetail | undefined> {
  const section = await sections.findDetail(id, trx);
  if (!section) return undefined;
  const meetings = (await sections.meetingsOf([id], trx)).get(id) ?? [];
  return { section, meetings };
}

/** The course, term and teacher must exist (and not be archived): one field error each. */
async function checkReferences(ports: SectionPorts, data: SectionInput, trx: Knex): Promise<void> {
  const { courses, terms, teachers } = ports;
  const errors: Record<string, string> = {};
  if (!(await courses.isActive(data.course_id, trx))) errors.course_id = 'catalogue.validation.course_unknown';
  if (!(await terms.find(data.term_id, trx))) errors.term_id = 'catalogue.validation.term_unknown';
  if (data.teacher_staff_id !== null && !(await teachers.exists(data.teacher_staff_id, trx)))
    errors.teacher_staff_id = 'catalogue.validation.teacher_unknown';
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

/** Capacity never below the seats taken; a section with places cannot move to another course or term. */
async function checkEdit(sections: SectionsRepository, row: SectionRow, data: SectionInput, trx: Knex): Promise<void> {
  if (data.capacity < row.enrolled_count)
    throw new ValidationError({ capacity: 'catalogue.validation.capacity_below_enrolled' });
  const moved = data.course_id !== row.course_id || data.term_id !== row.term_id;
  if (moved && (await sections.enrolmentCount(row.id, trx)) > 0) {
    throw new ValidationError({
      ...(data.course_id !== row.course_id && { course_id: 'catalogue.validation.section_has_enrolments' }),
      ...(data.term_id !== row.term_id && { term_id: 'catalogue.validation.section_has_enrolments' }),
    });
  }
}

/**
 * A section nobody holds a seat in may be archived. Restoring (administrators; the route checks the
 * role) waits for its course: a section of an archived course stays archived until the course is back.
 */
async function checkArchive(ports: SectionPorts, row: SectionRow, archived: boolean, trx: Knex): Promise<void> {
  if (archived && !row.deleted_at && row.enrolled_count > 0)
    throw new ConflictError('catalogue.sections.has_enrolled', 'section_has_enrolments');
  if (!archived && row.deleted_at && !(await ports.courses.isActive(row.course_id, trx)))
    throw new ConflictError('catalogue.sections.course_archived', 'course_archived');
}

export class SectionsService extends RecordWrites<SectionRow, SectionInput, SectionDetail> {
  constructor(
    db: Knex,
    private readonly sections: SectionsRepository,
    audit: AuditRepository,
    private readonly ports: SectionPorts,
  ) {
    super(db, audit, {
      entity: 'section',
      messages: {
        notFound: 'catalogue.sections.not_found',
        archivedCannotEdit: 'catalogue.sections.archived_cannot_edit',
      },
      store: sections,
      parse: (body) => parseOrThrow(sectionInputSchema, sectionBody(body)),
      constraintToFieldError,
      view: (id, trx) => sectionDetail(sections, id, trx),
      conflictOf: (view) => ({ ...view.section, meetings: view.meetings }),
      checkReferences: (data, trx) => checkReferences(ports, data, trx),
      beforeUpdate: (row, data, trx) => checkEdit(sections, row, data, trx),
      afterSave: async (id, data, trx, ctx, before) => {
        await sections.replaceMeetings(id, data.meetings, trx);
        if (before && data.capacity > before.capacity) await ports.seats.fillFreeSeats(id, ctx, trx);
      },
      beforeArchive: (row, archived, trx) => checkArchive(ports, row, archived, trx),
    });
  }

  /** A term's sections (the current term when none is named); an unknown term lists nothing. */
  async list(rawQuery: unknown): Promise<SectionPage> {
    const query = parseOrThrow(sectionListQuerySchema, rawQuery);
    const { terms } = this.ports;
    const term = (query.term ? await terms.find(query.term) : await terms.current()) ?? null;
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

  /** Choices for the section form. */
  async formOptions() {
    const [terms, teachers, courses] = await Promise.all([
      this.ports.terms.all(),
      this.ports.teachers.options(),
      this.ports.courses.options(),
    ]);
    const current = terms.find((term) => Number(term.current_marker) === 1);
    return { terms, teachers, courses, currentTermId: current?.id ?? null };
  }

  terms() {
    return this.ports.terms.all();
  }

  /** Each section's "COURSE-NO" and course names (archived ones too), for the audit log: one query. */
  namesOf(ids: readonly number[]) {
    return this.sections.namesOf(ids);
  }
}
