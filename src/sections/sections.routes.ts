import { Router } from 'express';
import type { IdempotentWrites } from '../idempotency/idempotent-write';
import { pickValues } from '../lib/pick-values';
import { requireRole } from '../middleware/auth';
import { wantsJson } from '../middleware/respond';
import { mountRecordWrites } from '../records/record-write-routes';
import type { SectionPages } from './section-page';
import { MEETING_FIELDS, MEETING_FORM_ROWS, SECTION_FIELDS, SECTION_STATUSES } from './sections.schemas';
import { toSectionJson, toSectionListItem } from './sections.serializer';
import type { SectionDetail, SectionsService } from './sections.service';

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

export function sectionsRoutes(deps: {
  /** The term's list and the staff section page (details, roster, enrolment forms, history). */
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
    if (wantsJson(req)) {
      const page = await deps.pages.listPage(req.query, req.user);
      const meta = {
        term: page.term?.code ?? null,
        page: page.page,
        size: page.size,
        total: page.total,
        pages: page.pages,
      };
      res.json({ data: page.rows.map(toSectionListItem), meta });
      return;
    }
    res.render('sections/index', await deps.pages.list(req.query, req.user));
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
    // "It still has students", "its course is archived": the section page again, the message under the button.
    recordPage: { view: 'sections/show', locals: (req) => deps.pages.show(req.params.id, req.t) },
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
