// The rules for the course catalogue: the shared record write path (records/record-writes.ts) with the
// course's schema and unique code; and what other features ask of courses (choices, is it active).
import type { Knex } from 'knex';
import type { AuditRepository } from '../audit/audit.repository';
import { isForeignKeyViolation, isUniqueViolation } from '../db/errors';
import { NotFoundError, ValidationError } from '../lib/errors';
import { type Page, pageOf } from '../lib/paging';
import { parseOrThrow } from '../lib/validate';
import { RecordWrites } from '../records/record-writes';
import type { CourseRow, CoursesRepository } from './courses.repository';
import { type CourseInput, courseInputSchema, courseListQuerySchema } from './courses.schemas';

export type CoursePage = Page<CourseRow>;

function constraintToFieldError(err: unknown): never {
  if (isUniqueViolation(err)) throw new ValidationError({ code: 'catalogue.validation.course_code_taken' });
  if (isForeignKeyViolation(err))
    throw new ValidationError({ department_id: 'catalogue.validation.department_unknown' });
  throw err;
}

/** The schools a course can belong to (the organisation feature answers). */
export interface DepartmentsPort {
  options(): Promise<{ value: string | number; label: string; label_en?: string }[]>;
  get(rawId: unknown): Promise<{ id: number; name: string; name_en?: string | null }>;
}

export class CoursesService extends RecordWrites<CourseRow, CourseInput> {
  constructor(
    db: Knex,
    private readonly courses: CoursesRepository,
    audit: AuditRepository,
    private readonly departments: DepartmentsPort,
  ) {
    super(db, audit, {
      entity: 'course',
      messages: {
        notFound: 'catalogue.courses.not_found',
        archivedCannotEdit: 'catalogue.courses.archived_cannot_edit',
      },
      store: courses,
      parse: (body) => parseOrThrow(courseInputSchema, body),
      constraintToFieldError,
    });
  }

  async list(rawQuery: unknown): Promise<CoursePage> {
    const query = parseOrThrow(courseListQuerySchema, rawQuery);
    const { rows, total } = await this.courses.list(query);
    return pageOf(rows, total, query);
  }

  /** Active courses, for the section form's course choice. */
  options() {
    return this.courses.options();
  }

  /** The names of these courses (archived ones too), for the audit log: one query. */
  namesOf(ids: readonly number[]) {
    return this.courses.namesOf(ids);
  }

  /** Whether an active (not archived) course has this id. */
  async isActive(id: number, trx?: Knex): Promise<boolean> {
    const row = await this.courses.findById(id, trx);
    return row !== undefined && row.deleted_at === null;
  }

  departmentOptions() {
    return this.departments.options();
  }

  /** The school a course belongs to, as its detail page names it. */
  async department(course: CourseRow) {
    if (course.department_id === null) return null;
    // A course keeps its school's id even if that row is gone: show none rather than fail the page.
    return this.departments.get(course.department_id).catch((err: unknown) => {
      if (err instanceof NotFoundError) return null;
      throw err;
    });
  }
}
