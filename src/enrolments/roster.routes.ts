// The printable class roster of a section (staff, admin): who holds a seat, with blank columns to sign.
import { Router } from 'express';
import { requireRole } from '../middleware/auth';
import { wantsJson } from '../middleware/respond';
import type { SectionPages } from '../sections/section-page';
import { toSectionJson } from '../sections/sections.serializer';
import type { RosterLine } from './enrolments.repository';
import type { Roster } from './enrolments.service';

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

export function rosterRoutes(deps: { pages: SectionPages<Roster> }): Router {
  const router = Router();

  router.get('/:id/roster', requireRole('staff', 'admin'), async (req, res) => {
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
