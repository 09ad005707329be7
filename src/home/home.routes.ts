import { Router } from 'express';
import { requireRole, currentUser } from '../middleware/auth';
import { wantsJson } from '../middleware/respond';
import { dashboardCharts } from './dashboard.charts';
import type { DashboardService } from './dashboard.service';

export function homeRoutes(deps: { dashboard: DashboardService }): Router {
  const router = Router();

  router.get('/', requireRole('admin', 'staff', 'student'), async (req, res) => {
    if (currentUser(req).role === 'student') return res.redirect('/me');
    const overview = await deps.dashboard.overview(req.lang);
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
          recent_changes: recent.map(({ row, actionLabel, entityLabel, recordName, changedLabels }) => ({
            id: Number(row.id),
            at: row.at,
            actor_username: row.actor_username,
            action: row.action,
            action_label: actionLabel,
            entity: row.entity,
            entity_label: entityLabel,
            entity_id: row.entity_id,
            record_name: recordName,
            changed_fields: changedLabels,
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
