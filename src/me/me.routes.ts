// Self-service for a signed-in student: only ever the record linked to their own account.
import { Router } from 'express';
import { requireRole, currentUser } from '../middleware/auth';
import { NotFoundError } from '../lib/errors';
import { wantsJson } from '../middleware/respond';
import { toStudentJson } from '../students/students.serializer';
import type { StudentsService } from '../students/students.service';

export function meRoutes(deps: { students: StudentsService }): Router {
  const router = Router();

  router.get('/', requireRole('student'), async (req, res) => {
    const { studentId } = currentUser(req);
    if (studentId === null) throw new NotFoundError('me.no_record');
    const student = await deps.students.get(studentId);
    if (student.deleted_at) throw new NotFoundError('me.no_record');
    if (wantsJson(req)) {
      res.json({ data: { student: toStudentJson(student), enrolments: [], grades: [] } });
      return;
    }
    res.render('me/index', { student });
  });

  return router;
}
