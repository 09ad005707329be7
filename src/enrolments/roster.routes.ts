// The printable class roster of a section (staff, admin): who holds a seat, with blank columns to sign;
// and the roster (seats and waiting list) as CSV or .xlsx.
import { Router } from 'express';
import { requireRole } from '../middleware/auth';
import { mountExports } from '../middleware/exports';
import { wantsJson } from '../middleware/respond';
import type { SectionPages } from '../sections/section-page';
import type { SectionDetail } from '../sections/sections.service';
import { toSectionJson } from '../sections/sections.serializer';
import type { RosterLine } from './enrolments.repository';
import type { EnrolmentsService, Roster } from './enrolments.service';
import { numberedSeats, rosterColumns } from './roster.export';

const toRosterJson = (line: RosterLine) => ({
  student_id: line.student_id,
  student_no: line.student_no,
  name: line.name,
  class_code: line.class_code,
  class_name: line.class_name,
  student_status: line.student_status,
  status: line.status,
  waitlist_position: line.position,
});

export function rosterRoutes(deps: {
  pages: SectionPages<Roster>;
  /** The section a roster export is of (404 for none). */
  section: (rawId: unknown) => Promise<SectionDetail>;
  enrolments: EnrolmentsService;
}): Router {
  const router = Router();
  const staff = requireRole('staff', 'admin');

  mountExports(router, '/:id/roster', staff, async (req) => {
    const { section } = await deps.section(req.params.id);
    return {
      name: ['roster', `${section.course_code}-${section.section_no}`],
      sheet: `${section.course_code}-${section.section_no}`,
      columns: rosterColumns(req.t),
      batches: numberedSeats(deps.enrolments.rosterBatches(section.id)),
    };
  });

  router.get('/:id/roster', staff, async (req, res) => {
    const { section, meetings, roster } = await deps.pages.roster(req.params.id);
    if (wantsJson(req)) {
      res.json({
        data: {
          section: toSectionJson(section, meetings),
          students: roster.enrolled.map(toRosterJson),
          waitlist: roster.waiting.map(toRosterJson),
        },
      });
      return;
    }
    res.render('sections/roster', { section, meetings, students: roster.enrolled, printedOn: new Date() }); // today in TIME_ZONE
  });

  return router;
}
