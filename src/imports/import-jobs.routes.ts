// /imports: the upload page, the upload itself (202 and the job's address), the job's page and JSON (its
// progress, then its report), and the commit of a clean dry run. The upload's body is multipart: it is
// read (within the size limit, into memory, never into the web root) before the CSRF check, which needs
// its `_csrf` field — see `importUpload`, mounted ahead of that check in app.ts.
import type { Request, RequestHandler } from 'express';
import { Router } from 'express';
import multer from 'multer';
import type { IdempotentWrites } from '../idempotency/idempotent-write';
import { AppError } from '../lib/errors';
import { currentUser, requireRole } from '../middleware/auth';
import { form } from '../middleware/form';
import { wantsJson } from '../middleware/respond';
import { type ImportJobsService, MAX_UPLOAD_BYTES, type UploadedFile } from './import-jobs.service';
import { IMPORT_KINDS } from './imports.types';

const staff = requireRole('staff', 'admin');
const PROBLEM_SORTS = ['row', 'column', 'value', 'message'] as const;

/** Problems in the order asked for; ties keep the file's order (row, then as found). */
function sortProblems<T extends { row: number; column: string; value: string; message: string }>(
  problems: readonly T[],
  sort: (typeof PROBLEM_SORTS)[number],
  dir: 'asc' | 'desc',
): T[] {
  const sign = dir === 'asc' ? 1 : -1;
  return problems
    .map((problem, i) => ({ problem, i }))
    .sort((a, b) => {
      const by =
        sort === 'row' ? a.problem.row - b.problem.row : String(a.problem[sort]).localeCompare(String(b.problem[sort]));
      return by !== 0 ? sign * by : a.i - b.i;
    })
    .map(({ problem }) => problem);
}
const FIELDS = ['kind', 'mode', 'section_id'] as const;

/** The upload's form fields and its one file, read for signed-in staff only (anyone else is turned away first). */
export function importUpload(): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    // Browsers send a file's name in UTF-8 (新生名单.xlsx), not busboy's default Latin-1.
    defParamCharset: 'utf8',
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 1024, parts: 12 },
  }).single('file');
  return (req, res, next) => {
    if (!req.is('multipart/form-data')) return next();
    staff(req, res, (err?: unknown) => {
      if (err) return next(err);
      upload(req, res, (uploadErr?: unknown) => {
        if (!uploadErr) return next();
        if (uploadErr instanceof multer.MulterError && uploadErr.code === 'LIMIT_FILE_SIZE') {
          return next(
            new AppError(413, 'file_too_large', 'import_jobs.errors.file_too_large', { max_bytes: MAX_UPLOAD_BYTES }),
          );
        }
        if (uploadErr instanceof multer.MulterError)
          return next(new AppError(400, 'bad_upload', 'import_jobs.errors.bad_upload'));
        next(uploadErr);
      });
    });
  };
}

function newPageLocals(req: Request) {
  const kind = IMPORT_KINDS.includes(req.query.kind as never) ? String(req.query.kind) : 'students';
  const sectionId = typeof req.query.section_id === 'string' ? req.query.section_id : '';
  return { kind, sectionId, kinds: IMPORT_KINDS, maxMb: MAX_UPLOAD_BYTES / 1024 / 1024 };
}

export function importJobsRoutes(deps: { jobs: ImportJobsService; writes: IdempotentWrites }): Router {
  const { jobs, writes } = deps;
  const router = Router();

  router.get('/new', staff, (req, res) => {
    const locals = newPageLocals(req);
    res.render('imports/new', {
      ...locals,
      values: { kind: locals.kind, section_id: locals.sectionId, mode: 'dry_run' },
      errors: {},
    });
  });

  router.post(
    '/',
    staff,
    form(
      {
        view: 'imports/new',
        keep: FIELDS,
        locals: (req) => ({ ...newPageLocals(req), kind: String(req.body?.kind ?? 'students') }),
      },
      (req, res) =>
        writes.handle(
          req,
          res,
          (ctx) => jobs.submit(req.body, req.file as UploadedFile | undefined, currentUser(req), req.lang, ctx),
          (job) => ({
            status: 202,
            location: `/imports/${job.id}`,
            body: { data: { id: job.id, status: job.status } },
          }),
        ),
    ),
  );

  router.get('/:id', staff, async (req, res) => {
    const job = await jobs.view(req.params.id, currentUser(req));
    const json = await jobs.toJson(job);
    if (wantsJson(req)) {
      res.json({ data: json });
      return;
    }
    // The report's problems sort by any of their columns (the file's order, row by row, by default).
    const sort = PROBLEM_SORTS.includes(req.query.sort as never)
      ? (req.query.sort as (typeof PROBLEM_SORTS)[number])
      : 'row';
    const dir = req.query.dir === 'desc' ? 'desc' : 'asc';
    const errors = sortProblems(json.errors, sort, dir);
    res.render('imports/show', { job: { ...json, errors }, sort: { sort, dir } });
  });

  router.post('/:id/commit', staff, (req, res) =>
    writes.handle(
      req,
      res,
      (ctx) => jobs.commitDryRun(req.params.id, currentUser(req), ctx),
      (job) => ({
        status: 202,
        location: `/imports/${job.id}`,
        body: { data: { id: job.id, status: job.status } },
      }),
    ),
  );

  return router;
}
