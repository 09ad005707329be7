// The write routes every record kind mounts the same way: create and edit through a form that shows
// itself again on a refusal, archive (staff) and restore (admins), whose refusal ("it still has
// students") shows the record's page again, the message under the button. Each is a keyed, retry-safe write.
import type { Request, Response, Router } from 'express';
import type { ActorContext } from '../audit/audit-context';
import type { IdempotentWrites } from '../idempotency/idempotent-write';
import { ConflictError } from '../lib/errors';
import { form, type FormOptions } from '../middleware/form';
import { requireRole } from '../middleware/auth';
import { type RecordAnswers, recordOutcomes } from './record-outcomes';
import type { Toggled } from './record-writes';

export interface RecordWriter<View> {
  create(body: unknown, ctx: ActorContext): Promise<View>;
  update(rawId: unknown, body: unknown, ctx: ActorContext): Promise<View>;
  archive(rawId: unknown, ctx: ActorContext): Promise<Toggled<View>>;
  restore(rawId: unknown, ctx: ActorContext): Promise<Toggled<View>>;
}

export interface RecordWriteRoutes<View> {
  service: RecordWriter<View>;
  writes: IdempotentWrites;
  answers: RecordAnswers<View>;
  /** The new and edit forms, shown again (with what was typed) when a save is refused. */
  createForm: Omit<FormOptions, 'conflict'>;
  editForm: FormOptions;
  /**
   * The record's own page (its view and locals), shown again when an archive or restore is refused, the
   * message beside the button (`refusal.at` 'archive' or 'restore'). Without it a refusal is the error page.
   */
  recordPage?: Pick<FormOptions, 'view' | 'locals'>;
  /** Whether the kind archives (terms do not). */
  archivable?: boolean;
  /** The body as the service reads it (a form's wall times turned to UTC); the body itself by default. */
  bodyOf?: (req: Request) => unknown;
}

export function mountRecordWrites<View>(router: Router, options: RecordWriteRoutes<View>): void {
  const { service, writes, archivable = true } = options;
  const bodyOf = options.bodyOf ?? ((req: Request) => req.body);
  const answer = recordOutcomes(options.answers);
  const staff = requireRole('staff', 'admin');

  router.post(
    '/',
    staff,
    form(options.createForm, (req, res) =>
      writes.handle(req, res, (ctx) => service.create(bodyOf(req), ctx), answer.created),
    ),
  );

  router.post(
    '/:id',
    staff,
    form(options.editForm, (req, res) =>
      writes.handle(req, res, (ctx) => service.update(req.params.id, bodyOf(req), ctx), answer.updated),
    ),
  );

  if (!archivable) return;
  const onRecordPage = (at: 'archive' | 'restore', handler: (req: Request, res: Response) => Promise<void>) => {
    const { recordPage } = options;
    if (!recordPage) return handler;
    return form({ ...recordPage, keep: [], when: (_req, err) => err instanceof ConflictError, at: () => at }, handler);
  };
  router.post(
    '/:id/delete',
    staff,
    onRecordPage('archive', (req, res) =>
      writes.handle(req, res, (ctx) => service.archive(req.params.id, ctx), answer.archived),
    ),
  );
  router.post(
    '/:id/restore',
    requireRole('admin'),
    onRecordPage('restore', (req, res) =>
      writes.handle(req, res, (ctx) => service.restore(req.params.id, ctx), answer.restored),
    ),
  );
}
