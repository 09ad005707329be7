// The import templates (staff, admin): GET /imports/templates/<kind>.<csv|xlsx>, in the user's language.
import { Router } from 'express';
import { NotFoundError } from '../lib/errors';
import { requireRole } from '../middleware/auth';
import { TEMPLATE_FORMATS, type TemplateFormat } from './import-templates';
import type { ImportsService } from './imports.service';
import { IMPORT_KINDS, type ImportKind } from './imports.types';

const TEMPLATE_NAME = new RegExp(`^(${IMPORT_KINDS.join('|')})\\.(${TEMPLATE_FORMATS.join('|')})$`);

export function importsRoutes(deps: { imports: ImportsService }): Router {
  const router = Router();
  const staff = requireRole('staff', 'admin');

  router.get('/templates/:file', staff, async (req, res) => {
    const match = TEMPLATE_NAME.exec(String(req.params.file));
    if (!match) throw new NotFoundError();
    const file = await deps.imports.template(match[1] as ImportKind, match[2] as TemplateFormat, req.lang);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(file.body);
  });

  return router;
}
