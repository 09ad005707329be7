// Imports as background jobs (issue 12): an upload becomes a job row with its file beside it, the queue
// (jobs/job-queue.ts) hands it to one node, and that node runs the import (the runner: the parsing,
// validation and writing of imports.service.ts) while the page shows its progress. A commit is written in
// one transaction that also marks the job done, only if it is still running: a job taken over from a
// dead node starts again from the file, and only one run's writes ever commit.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ActorContext } from '../audit/audit-context';
import { inWriteTransaction } from '../db/write-transaction';
import { translator, type Language } from '../i18n/i18n';
import type { JobQueue } from '../jobs/job-queue';
import { AppError, NotFoundError, ValidationError } from '../lib/errors';
import { parseIdOrNotFound } from '../lib/ids';
import { sqlNow } from '../lib/time';
import { collectFieldErrors, parseOrThrow } from '../lib/validate';
import type { CurrentUser } from '../users/users.types';
import type { ImportJobRow, ImportJobsRepository } from './import-jobs.repository';
import { MAX_IMPORT_BYTES } from './import-file';
import type { ImportsService } from './imports.service';
import { IMPORT_KINDS, IMPORT_MODES, type ImportKind, type ImportMode, type ImportProblem } from './imports.types';

export const IMPORT_QUEUE = 'imports';

/** Bigger uploads are refused before they are read whole (multer's limit) and here. */
export const MAX_UPLOAD_BYTES = MAX_IMPORT_BYTES;
/** How long a clean dry run keeps its file for the commit that may follow it. */
const KEEP_FOR_COMMIT_MS = 24 * 60 * 60_000;
/** The page's progress bar is fed at most this often (one UPDATE a second, not one a row). */
const PROGRESS_EVERY_MS = 1_000;

/** What reads, checks and writes an import (imports.service.ts). */
export type ImportRunner = Pick<ImportsService, 'run'>;

const submission = z.object({
  kind: z.enum(IMPORT_KINDS, { message: 'import_jobs.errors.kind' }),
  mode: z.enum(IMPORT_MODES, { message: 'import_jobs.errors.mode' }),
  section_id: z.preprocess(
    (v) => (v === '' || v === undefined || v === null ? undefined : v),
    z.coerce
      .number({ message: 'import_jobs.errors.section' })
      .int('import_jobs.errors.section')
      .positive('import_jobs.errors.section')
      .optional(),
  ),
});

export interface UploadedFile {
  originalname: string;
  size: number;
  buffer: Buffer;
}

/** A second runner of the same job lost the race: its transaction rolls back, nothing more to do. */
class AlreadyFinished extends Error {}

export interface ImportJobJson {
  id: number;
  kind: string;
  mode: string;
  section_id: number | null;
  status: ImportJobRow['status'];
  file_name: string;
  progress: { done: number; total: number };
  counts: { created: number; updated: number; unchanged: number };
  errors: ImportProblem[];
  /** Problems of the header row that did not stop it (an unknown column, ignored). */
  warnings: ImportProblem[];
  message: string | null;
  created_at: string;
  finished_at: string | null;
  /** Whether this (clean) dry run can be committed without a second upload. */
  can_commit: boolean;
}

export class ImportJobsService {
  constructor(
    private readonly db: Knex,
    private readonly repo: ImportJobsRepository,
    private readonly queue: JobQueue,
    private readonly runner: ImportRunner,
    private readonly options: { nodeId: string; logger?: Logger },
  ) {}

  /** Starts this node's worker and queues again what a stopped node left unfinished. */
  async start(): Promise<void> {
    this.queue.process(IMPORT_QUEUE, (id) => this.work(id));
    for (const id of await this.repo.unfinished()) await this.queue.add(IMPORT_QUEUE, id);
  }

  /** A new job from an upload: validated, stored with its file, queued. */
  async submit(
    body: unknown,
    file: UploadedFile | undefined,
    user: CurrentUser,
    lang: Language,
    ctx: ActorContext,
  ): Promise<ImportJobRow> {
    const fields: Record<string, string> = {};
    const input = collectFieldErrors(() => parseOrThrow(submission, body), fields);
    if (input?.kind === 'grades' && input.section_id === undefined) fields.section_id = 'import_jobs.errors.section';
    if (!file) fields.file = 'import_jobs.errors.file_required';
    else if (file.size === 0) fields.file = 'import_jobs.errors.file_empty';
    else if (file.size > MAX_UPLOAD_BYTES) fields.file = 'import_jobs.errors.file_too_large';
    if (Object.keys(fields).length > 0 || !input || !file) throw new ValidationError(fields);
    const valid = input;
    // The transaction's result is what the idempotent answer describes (and replays): the job's row.
    const job = await inWriteTransaction(this.db, ctx, async (trx) => {
      const id = await this.repo.create(
        {
          kind: valid.kind,
          mode: valid.mode,
          section_id: valid.kind === 'grades' ? (valid.section_id ?? null) : null,
          owner_user_id: user.id,
          owner_username: user.username,
          lang,
          file_name: path.basename(file.originalname || 'upload').slice(0, 255),
          file_size: file.size,
        },
        file.buffer,
        trx,
      );
      return (await this.repo.get(id, trx))!;
    });
    await this.queue.add(IMPORT_QUEUE, job.id);
    return job;
  }

  /** The commit of a clean dry run, from the file already kept (no second upload). */
  async commitDryRun(rawId: unknown, user: CurrentUser, ctx: ActorContext): Promise<ImportJobRow> {
    const source = await this.view(rawId, user);
    if (!(await this.canCommit(source))) {
      throw new AppError(409, 'import_not_committable', 'import_jobs.errors.not_committable');
    }
    const job = await inWriteTransaction(this.db, ctx, async (trx) => {
      const jobId = await this.repo.create(
        {
          kind: source.kind,
          mode: 'commit',
          section_id: source.section_id,
          owner_user_id: user.id,
          owner_username: user.username,
          lang: source.lang,
          file_name: source.file_name,
          file_size: source.file_size,
          source_job_id: source.id,
        },
        Buffer.alloc(0),
        trx,
      );
      // The dry run's file moves to its commit: a second commit of the same dry run (another tab) finds
      // it gone and is refused, so one check is imported once.
      if ((await this.repo.moveFile(source.id, jobId, trx)) === 0) {
        throw new AppError(409, 'import_not_committable', 'import_jobs.errors.not_committable');
      }
      return (await this.repo.get(jobId, trx))!;
    });
    await this.queue.add(IMPORT_QUEUE, job.id);
    return job;
  }

  /** The job, to its owner and to admins; to anyone else it does not exist. */
  async view(rawId: unknown, user: CurrentUser): Promise<ImportJobRow> {
    const id = parseIdOrNotFound(rawId, 'import_jobs.errors.not_found');
    const job = await this.repo.get(id);
    if (!job || (job.owner_user_id !== user.id && user.role !== 'admin'))
      throw new NotFoundError('import_jobs.errors.not_found');
    return job;
  }

  async canCommit(job: ImportJobRow): Promise<boolean> {
    return (
      job.mode === 'dry_run' &&
      job.status === 'succeeded' &&
      errorsOf(job).length === 0 &&
      job.progress_total > 0 &&
      (await this.repo.hasFile(job.id))
    );
  }

  async toJson(job: ImportJobRow): Promise<ImportJobJson> {
    return {
      id: job.id,
      kind: job.kind,
      mode: job.mode,
      section_id: job.section_id,
      status: job.status,
      file_name: job.file_name,
      progress: { done: job.progress_done, total: job.progress_total },
      counts: { created: job.count_created, updated: job.count_updated, unchanged: job.count_unchanged },
      ...problemsOf(job),
      message: job.message,
      created_at: job.created_at,
      finished_at: job.finished_at,
      can_commit: await this.canCommit(job),
    };
  }

  /** The job's work, on whichever node the queue gave it to; safe to run again for the same job. */
  async work(id: number): Promise<void> {
    if (!(await this.repo.start(id, this.options.nodeId))) return;
    const job = (await this.repo.get(id))!;
    const t = translator(job.lang === 'zh-CN' ? 'zh-CN' : 'en');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sis-import-'));
    const file = path.join(dir, `${randomBytes(8).toString('hex')}${path.extname(job.file_name).toLowerCase()}`);
    let keepFile = false;
    try {
      const handle = await fs.open(file, 'w', 0o600);
      try {
        for await (const chunk of this.repo.file(id)) await handle.write(chunk);
      } finally {
        await handle.close();
      }
      const progress = this.progressWriter(id);
      const report = await this.runner.run(
        {
          kind: job.kind as ImportKind,
          mode: job.mode as ImportMode,
          sectionId: job.section_id ?? undefined,
          actor: {
            actorId: job.owner_user_id,
            actorUsername: job.owner_username,
            requestId: `import-${job.id}`,
          },
          lang: job.lang === 'zh-CN' ? 'zh-CN' : 'en',
          file: { path: file, originalName: job.file_name },
        },
        {
          onProgress: progress,
          within:
            job.mode === 'commit'
              ? async (trx, done) => {
                  if (!(await this.repo.finish(id, { status: 'succeeded', ...done, message: null }, trx)))
                    throw new AlreadyFinished();
                  await this.repo.deleteFile(id, trx);
                }
              : undefined,
        },
      );
      await progress.settled();
      if (job.mode === 'dry_run') {
        await this.repo.finish(id, { status: 'succeeded', ...report, message: null });
        keepFile = report.errors.length === 0 && report.total > 0;
      } else if (report.errors.length > 0) {
        // Nothing was written: the report says why.
        await this.repo.finish(id, { status: 'failed', ...report, message: null });
      }
    } catch (err) {
      if (err instanceof AlreadyFinished) return;
      const known = err instanceof AppError;
      if (!known) this.options.logger?.error({ err, import: id }, 'import failed');
      await this.repo.finish(id, {
        status: 'failed',
        counts: { created: 0, updated: 0, unchanged: 0 },
        total: 0,
        errors: [],
        message: known ? t(err.messageKey, err.messageParams) : t('import_jobs.errors.internal'),
      });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
      if (!keepFile) await this.repo.deleteFile(id);
      await this.purgeStaleFiles();
    }
  }

  /** Progress to the job's row at most once a second, one write at a time (the runner's pace is its own). */
  private progressWriter(id: number): ((done: number, total: number) => void) & { settled: () => Promise<void> } {
    let last = 0;
    let writing: Promise<unknown> = Promise.resolve();
    let busy = false;
    const write = (done: number, total: number) => {
      const now = Date.now();
      if (busy || now - last < PROGRESS_EVERY_MS) return;
      last = now;
      busy = true;
      writing = this.repo
        .progress(id, done, total)
        .catch((err: unknown) => this.options.logger?.warn({ err, import: id }, 'import progress not saved'))
        .finally(() => (busy = false));
    };
    return Object.assign(write, { settled: () => writing.then(() => undefined) });
  }

  private async purgeStaleFiles(): Promise<void> {
    for (const id of await this.repo.staleFiles(sqlNow(Date.now() - KEEP_FOR_COMMIT_MS)))
      await this.repo.deleteFile(id);
  }
}

function problemsOf(job: ImportJobRow): { errors: ImportProblem[]; warnings: ImportProblem[] } {
  if (!job.errors_json) return { errors: [], warnings: [] };
  const parsed = JSON.parse(job.errors_json) as { errors?: ImportProblem[]; warnings?: ImportProblem[] };
  return { errors: parsed.errors ?? [], warnings: parsed.warnings ?? [] };
}

function errorsOf(job: ImportJobRow): ImportProblem[] {
  return problemsOf(job).errors;
}
