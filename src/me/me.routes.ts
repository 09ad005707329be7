// Self-service for a signed-in student: only ever the record linked to their own account.
import { Router } from 'express';
import type { IdempotentWrites } from '../idempotency/idempotent-write';
import { form } from '../middleware/form';
import { pickValues } from '../lib/pick-values';
import { currentUser, requireRole } from '../middleware/auth';
import { wantsJson } from '../middleware/respond';
import { toStudentJson } from '../students/students.serializer';
import { PROFILE_FIELDS } from './me.schemas';
import { toMyRecordJson, toTranscriptJson } from './me.serializer';
import type { MeService } from './me.service';

export function meRoutes(deps: { me: MeService; writes: IdempotentWrites }): Router {
  const router = Router();
  const { me, writes } = deps;
  const student = requireRole('student');

  router.get('/', student, async (req, res) => {
    const record = await me.record(currentUser(req));
    if (wantsJson(req)) {
      res.json({ data: toMyRecordJson(record) });
      return;
    }
    res.render('me/index', record);
  });

  router.get('/profile', student, async (req, res) => {
    const own = await me.own(currentUser(req));
    if (wantsJson(req)) {
      res.json({ data: toStudentJson(own) });
      return;
    }
    res.render('me/profile', { student: own, values: pickValues(own, [...PROFILE_FIELDS, 'version']), errors: {} });
  });

  router.post(
    '/profile',
    student,
    form(
      {
        view: 'me/profile',
        keep: [...PROFILE_FIELDS, 'version'],
        locals: async (req) => ({ student: await me.own(currentUser(req)) }),
        conflict: { fields: (req) => PROFILE_FIELDS.map((name) => ({ name, label: req.t(`student.${name}`) })) },
      },
      (req, res) =>
        writes.handle(
          req,
          res,
          (ctx) => me.updateProfile(currentUser(req), req.body, ctx),
          (row) => ({
            status: 200,
            location: '/me',
            body: { data: toStudentJson(row) },
            flash: { type: 'success', key: 'me.profile_saved' },
          }),
        ),
    ),
  );

  router.get('/transcript', student, async (req, res) => {
    const transcript = await me.transcript(currentUser(req));
    if (wantsJson(req)) {
      res.json({ data: toTranscriptJson(transcript) });
      return;
    }
    res.render('me/transcript', { ...transcript, printedOn: new Date() }); // shown as today in TIME_ZONE
  });

  return router;
}
