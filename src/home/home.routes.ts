import { Router } from 'express';
import { requireRole, currentUser } from '../middleware/auth';
import { wantsJson } from '../middleware/respond';
import { dashboardCharts } from './dashboard.charts';
import type { DashboardService } from './dashboard.service';

export function homeRoutes(deps: { dashboard: DashboardService }): Router {
  const router = Router();

  router.get('/', requireRole('admin', 'staff', 'student'), async (req, res) => {
    if (currentUser(req).role === 'student') return res.redirect('/me');
    const overview = await deps.dashboard.overview();
    if (wantsJson(req)) {
      const { byStatus, byDepartment, sections, recent } = overview;
      res.json({
        data: {
          students_by_status: byStatus,
          students_by_department: byDepartment.departments,
          students_without_class: byDepartment.withoutClass,
          current_term: sections.term,
          section_totals: { sections: sections.sections, seats: sections.seats, enrolled: sections.enrolled },
          fullest_sections: sections.fullest,
          recent_changes: recent.map((r) => ({
            id: Number(r.id),
            at: r.at,
            actor_username: r.actor_username,
            action: r.action,
            entity: r.entity,
            entity_id: r.entity_id,
          })),
        },
      });
      return;
    }
    res.render('home/index', {
      ...overview,
      charts: dashboardCharts(overview, req.t, req.lang),
    });
  });

  return router;
}
