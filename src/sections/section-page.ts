// What the section pages show, gathered in one place: the term's list (students choose there) and the
// staff section page with its printable roster. The section routes render them, and the enrolment and
// archive routes render them again (with the message) when an action taken there is refused.
import type { TFunction } from 'i18next';
import { auditHistory } from '../audit/audit-presenter';
import { NotFoundError } from '../lib/errors';
import { exportActions } from '../middleware/exports';
import { keptFilters } from '../lib/sorting';
import { type SelectionWindow, selectionState } from '../lib/time';
import type { Option } from '../records/records.types';
import type { CurrentUser } from '../users/users.types';
import { toSectionListItem } from './sections.serializer';
import type { SectionDetail, SectionPage, SectionsService } from './sections.service';

/** The list's filters, kept in its links; its row forms carry them and the page number too (a refusal shows the same list). */
export const LIST_FILTERS = ['term', 'q', 'archived', 'sort', 'dir', 'size'] as const;

/** A signed-in student's places in a term, so the list can offer select, drop or their waiting position. */
export type PlacesOf = (
  studentId: number,
  termId: number,
) => Promise<{ section_id: number; status: string; position: number | null; graded?: boolean }[]>;

/** A student's own selection window in a term (their enrolment year's round, else the term's). */
export type WindowOf = (
  studentId: number,
  term: { id: number; selection_opens_at: string | null; selection_closes_at: string | null },
) => Promise<SelectionWindow>;

export interface SectionPageDeps<Roster> {
  sections: SectionsService;
  /** Administrative classes a staff member can enrol as a whole. */
  classOptions: () => Promise<Option[]>;
  /** The section's seats and waiting list (the enrolments feature answers). */
  roster: (sectionId: number) => Promise<Roster>;
  placesOf: PlacesOf;
  windowOf: WindowOf;
}

type Viewer = Pick<CurrentUser, 'role' | 'studentId'> | undefined;

export interface SectionPages<Roster = unknown> {
  /** The term's sections as `query` asks (students: never archived ones), with the page itself. */
  listPage: (query: Record<string, unknown>, viewer: Viewer) => Promise<SectionPage>;
  /**
   * Locals of views/sections/index.ejs. `near`: a section whose term is shown when the query names none
   * (a refused choice from a form that did not say which term it was on).
   */
  list: (query: Record<string, unknown>, viewer: Viewer, near?: unknown) => Promise<Record<string, unknown>>;
  /** Locals of views/sections/show.ejs. */
  /** `t`: the page language's, for the history's action and field names. */
  show: (rawId: unknown, t: TFunction) => Promise<Record<string, unknown>>;
  /** The section with its seats and waiting list, for the printable roster. */
  roster: (rawId: unknown) => Promise<SectionDetail & { roster: Roster }>;
}

export function sectionPages<Roster>(deps: SectionPageDeps<Roster>): SectionPages<Roster> {
  // Archived sections are for staff to look up (and admins to restore); students choose from active ones.
  const listQuery = (query: Record<string, unknown>, viewer: Viewer): Record<string, unknown> =>
    viewer?.role === 'student' ? { ...query, archived: undefined } : { ...query };
  const listPage = (query: Record<string, unknown>, viewer: Viewer) => deps.sections.list(listQuery(query, viewer));

  return {
    listPage,
    list: async (rawQuery, viewer, near) => {
      const query = listQuery(rawQuery, viewer);
      if (near !== undefined && !query.term) {
        const term = await deps.sections.get(near).then(
          (detail) => detail.section.term_code,
          (err: unknown) => {
            if (err instanceof NotFoundError) return undefined;
            throw err;
          },
        );
        if (term) query.term = term;
      }
      const page = await listPage(query, viewer);
      const studentId = viewer?.role === 'student' ? viewer.studentId : null;
      const places = studentId !== null && page.term ? await deps.placesOf(studentId, page.term.id) : [];
      // A student sees their own round's window; staff the term's.
      const selectionWindow =
        page.term && studentId !== null ? await deps.windowOf(studentId, page.term) : (page.term ?? null);
      return {
        page,
        selection: selectionWindow ? selectionState(selectionWindow) : 'none',
        selectionWindow,
        items: page.rows.map(toSectionListItem),
        studentId,
        mine: Object.fromEntries(places.map((p) => [p.section_id, p])),
        terms: await deps.sections.terms(),
        filters: keptFilters(query, LIST_FILTERS, page.sort),
      };
    },
    show: async (rawId, t) => {
      const detail = await deps.sections.get(rawId);
      const id = detail.section.id;
      const [classes, roster, history] = await Promise.all([
        deps.classOptions(),
        deps.roster(id),
        deps.sections.history(id),
      ]);
      // The roster's downloads: the seats and the waiting list, as the card lists them.
      const rosterExports = exportActions(`/sections/${id}/roster`, {}, t);
      return { ...detail, classes, roster, rosterExports, history: auditHistory(history, t), values: {}, errors: {} };
    },
    roster: async (rawId) => {
      const detail = await deps.sections.get(rawId);
      return { ...detail, roster: await deps.roster(detail.section.id) };
    },
  };
}
