import { Router } from 'express';
import { requireRole, currentUser } from '../middleware/auth';
import type { StudentsService } from '../students/students.service';

export function homeRoutes(deps: { students: StudentsService }): Router {
  const router = Router();

  router.get('/', requireRole('admin', 'staff', 'student'), async (req, res) => {
    if (currentUser(req).role === 'student') return res.redirect('/me');
    res.render('home/index', { counts: await deps.students.countByStatus() });
  });

  return router;
}
