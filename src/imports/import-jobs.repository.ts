// The rows of import jobs and the chunks of their files (migrations/20261228100000_create_import_jobs.ts).
import type { Knex } from 'knex';
import { sqlNow } from '../lib/time';

export type ImportJobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface ImportJobRow {
  id: number;
  kind: string;
  mode: string;
  section_id: number | null;
  status: ImportJobStatus;
  owner_user_id: number;
  owner_username: string;
  lang: string;
  file_name: string;
  file_size: number;
  progress_done: number;
  progress_total: number;
  count_created: number;
  count_updated: number;
  count_unchanged: number;
  errors_json: string | null;
  message: string | null;
  attempts: number;
  node_id: string | null;
  source_job_id: number | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export type NewImportJob = Pick<
  ImportJobRow,
  'kind' | 'mode' | 'section_id' | 'owner_user_id' | 'owner_username' | 'lang' | 'file_name' | 'file_size'
> & { source_job_id?: number | null };

/** 1 MB a row: under MySQL 5.7's default max_allowed_packet (4 MB) with room to spare. */
export const CHUNK_BYTES = 1024 * 1024;

export interface ImportOutcome {
  status: 'succeeded' | 'failed';
  counts: { created: number; updated: number; unchanged: number };
  total: number;
  errors: unknown[];
  /** Problems of the header row that do not stop the import (an unknown column, ignored). */
  warnings?: unknown[];
  message: string | null;
}

export class ImportJobsRepository {
  constructor(private readonly db: Knex) {}

  /** The job's row and its file's chunks, in the caller's transaction. */
  async create(job: NewImportJob, file: Buffer, trx: Knex): Promise<number> {
    const [id] = await trx('import_jobs').insert({ ...job, status: 'queued', created_at: sqlNow() });
    const jobId = Number(id);
    for (let seq = 0, at = 0; at < file.length; seq++, at += CHUNK_BYTES) {
      await trx('import_job_chunks').insert({ job_id: jobId, seq, data: file.subarray(at, at + CHUNK_BYTES) });
    }
    return jobId;
  }

  /**
   * Gives another job's file to this one (a commit made from a clean dry run: no second upload), in one
   * statement; answers how many chunks moved (0: the file is gone, another commit took it).
   */
  moveFile(fromJobId: number, toJobId: number, trx: Knex): Promise<number> {
    return trx('import_job_chunks').where({ job_id: fromJobId }).update({ job_id: toJobId });
  }

  get(id: number, trx: Knex = this.db): Promise<ImportJobRow | undefined> {
    return trx('import_jobs').where({ id }).first();
  }

  /** The file, chunk by chunk (one chunk in memory at a time). */
  async *file(id: number): AsyncGenerator<Buffer> {
    const seqs: { seq: number }[] = await this.db('import_job_chunks')
      .where({ job_id: id })
      .orderBy('seq')
      .select('seq');
    for (const { seq } of seqs) {
      const row = await this.db('import_job_chunks').where({ job_id: id, seq }).first('data');
      if (row) yield Buffer.from(row.data as Uint8Array);
    }
  }

  async hasFile(id: number): Promise<boolean> {
    return Boolean(await this.db('import_job_chunks').where({ job_id: id }).first('seq'));
  }

  deleteFile(id: number, trx: Knex = this.db): Promise<number> {
    return trx('import_job_chunks').where({ job_id: id }).delete();
  }

  /**
   * Takes the job for this node: queued, or running on a node that is gone (a job taken over). Answers
   * false when it is already finished (a retried or duplicated job must not run twice).
   */
  async start(id: number, nodeId: string): Promise<boolean> {
    const taken = await this.db('import_jobs')
      .where({ id })
      .whereIn('status', ['queued', 'running'])
      .update({
        status: 'running',
        node_id: nodeId,
        started_at: sqlNow(),
        progress_done: 0,
        attempts: this.db.raw('attempts + 1'),
      });
    return taken === 1;
  }

  progress(id: number, done: number, total: number): Promise<number> {
    return this.db('import_jobs')
      .where({ id, status: 'running' })
      .update({ progress_done: done, progress_total: total });
  }

  /**
   * Records how the job ended, only if it is still running: inside a commit's own transaction this is
   * what makes the import happen once (a second runner's finish changes nothing and rolls its work back).
   */
  async finish(id: number, outcome: ImportOutcome, trx: Knex = this.db): Promise<boolean> {
    const changed = await trx('import_jobs')
      .where({ id, status: 'running' })
      .update({
        status: outcome.status,
        count_created: outcome.counts.created,
        count_updated: outcome.counts.updated,
        count_unchanged: outcome.counts.unchanged,
        progress_done: outcome.total,
        progress_total: outcome.total,
        errors_json: JSON.stringify({ errors: outcome.errors, warnings: outcome.warnings ?? [] }),
        message: outcome.message,
        finished_at: sqlNow(),
      });
    return changed === 1;
  }

  /** Jobs not finished (queued, or running when a node stopped): queued again at start-up. */
  async unfinished(): Promise<number[]> {
    const rows: { id: number }[] = await this.db('import_jobs')
      .whereIn('status', ['queued', 'running'])
      .orderBy('id')
      .select('id');
    return rows.map((r) => Number(r.id));
  }

  /** Finished jobs older than `before` that still hold a file (a clean dry run keeps its file for its commit). */
  async staleFiles(before: string): Promise<number[]> {
    const rows: { id: number }[] = await this.db('import_jobs')
      .whereIn('status', ['succeeded', 'failed'])
      .where('finished_at', '<', before)
      .whereExists((q) =>
        q.select(this.db.raw('1')).from('import_job_chunks').whereRaw('import_job_chunks.job_id = import_jobs.id'),
      )
      .orderBy('id')
      .limit(100)
      .select('id');
    return rows.map((r) => Number(r.id));
  }
}
