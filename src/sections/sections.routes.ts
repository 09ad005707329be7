import { Router } from 'express';
import type { IdempotentWrites } from '../idempotency/idempotent-write';
import { pickValues } from '../lib/pick-values';
import { keptFilters } from '../lib/sorting';
import { type SelectionWindow, selectionState } from '../lib/time';
import { requireRole } from '../middleware/auth';
import { wantsJson } from '../middleware/respond';
import { mountRecordWrites } from '../records/record-write-routes';
import type { SectionPages } from './section-page';
import { MEETING_FIELDS, MEETING_FORM_ROWS, SECTION_FIELDS, SECTION_STATUSES } from './sections.schemas';
import { toSectionJson, toSectionListItem } from './sections.serializer';
import type { SectionDetail, SectionsService } from './sections.service';

const FILTERS = ['term', 'q', 'archived', 'sort', 'dir', 'size'] as const;
const FORM_KEEP = [...SECTION_FIELDS, ...MEETING_FIELDS];

/** "CS101-A": how messages name a section. */
const label = ({ section }: SectionDetail) => ({ name: `${section.course_code}-${section.section_no}` });

/** The edit form's starting values, meetings spread over the repeated fieldsets. */
function formValues({ section, meetings }: SectionDetail): Record<string, string> {
  const values = pickValues(section, [...SECTION_FIELDS, 'version']);
  meetings.slice(0, MEETING_FORM_ROWS).forEach((m, i) => {
    values[`meetings.${i}.day_of_week`] = String(m.day_of_week);
    values[`meetings.${i}.start_period`] = String(m.start_period);
    values[`meetings.${i}.end_period`] = String(m.end_period);
  });
  return values;
}

/** A signed-in student's places in a term, so the list can offer select, drop or their waiting position. */
export type PlacesOf = (
  studentId: number,
  termId: number,
) => Promise<{ section_id: number; status: string; position: number | null }[]>;

/** A student's own selection window in a term (their enrolment year's round, else the term's). */
export type WindowOf = (
  studentId: number,
  term: { id: number; selection_opens_at: string | null; selection_closes_at: string | null },
) => Promise<SelectionWindow>;

export function sectionsRoutes(deps: {
  placesOf: PlacesOf;
  windowOf: WindowOf;
  /** The staff section page: details, roster, enrolment forms, history. */
  pages: SectionPages;
  sections: SectionsService;
  writes: IdempotentWrites;
}): Router {
  const router = Router();
  const { sections, writes } = deps;
  const anyone = requireRole('student', 'staff', 'admin');
  const staff = requireRole('staff', 'admin');
  const choices = async () => ({
    ...(await sections.formOptions()),
    statuses: SECTION_STATUSES,
    meetingRows: MEETING_FORM_ROWS,
  });

  // Students choose their courses here, so they see it too; the actions per row differ by role.
  router.get('/', anyone, async (req, res) => {
    // Archived sections are for staff to look up (and admins to restore); students choose from active ones.
    const query = req.user?.role === 'student' ? { ...req.query, archived: undefined } : req.query;
    const page = await sections.list(query);
    const items = page.rows.map(toSectionListItem);
    if (wantsJson(req)) {
      const meta = {
        term: page.term?.code ?? null,
        page: page.page,
        size: page.size,
        total: page.total,
        pages: page.pages,
      };
      res.json({ data: items, meta });
      return;
    }
    const studentId = req.user?.role === 'student' ? req.user.studentId : null;
    const places = studentId !== null && page.term ? await deps.placesOf(studentId, page.term.id) : [];
    // A student sees their own round's window; staff the term's.
    const selectionWindow =
      page.term && studentId !== null ? await deps.windowOf(studentId, page.term) : (page.term ?? null);
    res.render('sections/index', {
      page,
      selection: selectionWindow ? selectionState(selectionWindow) : 'none',
      selectionWindow,
      items,
      studentId,
      mine: Object.fromEntries(places.map((p) => [p.section_id, p])),
      terms: await sections.terms(),
      filters: keptFilters(query, FILTERS, page.sort),
    });
  });

  router.get('/new', staff, async (_req, res) => {
    const options = await choices();
    const values = { status: 'open', term_id: options.currentTermId === null ? '' : String(options.currentTermId) };
    res.render('sections/new', { values, errors: {}, ...options });
  });

  router.get('/:id', staff, async (req, res) => {
    if (wantsJson(req)) {
      const detail = await sections.get(req.params.id);
      res.json({ data: toSectionJson(detail.section, detail.meetings) });
      return;
    }
    res.render('sections/show', await deps.pages.show(req.params.id, req.t));
  });

  router.get('/:id/edit', staff, async (req, res) => {
    const detail = await sections.getForEdit(req.params.id);
    res.render('sections/edit', {
      section: detail.section,
      values: formValues(detail),
      errors: {},
      ...(await choices()),
    });
  });

  mountRecordWrites(router, {
    service: sections,
    writes,
    answers: {
      base: '/sections',
      messages: 'catalogue.sections',
      id: (detail) => detail.section.id,
      toJson: (detail) => toSectionJson(detail.section, detail.meetings),
      name: label,
      afterArchive: ({ section }) => `/sections?term=${encodeURIComponent(section.term_code)}`,
    },
    createForm: { view: 'sections/new', keep: FORM_KEEP, locals: choices },
    editForm: {
      view: 'sections/edit',
      keep: [...FORM_KEEP, 'version'],
      locals: async (req) => ({ section: (await sections.get(req.params.id)).section, ...(await choices()) }),
      conflict: {
        fields: (req) => SECTION_FIELDS.map((name) => ({ name, label: req.t(`catalogue.section.${name}`) })),
      },
    },
  });

  return router;
}
