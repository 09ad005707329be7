// Makes a write safe to retry. A key comes from the Idempotency-Key header (JSON clients) or the hidden
// `_idem` field every form carries. The key and the response are stored in the same transaction as the
// write (db/write-transaction.ts), so a repeat - a double click, or nginx retrying a POST on another
// node after the first one died - returns the first response and writes nothing again.
import type { Request, Response } from 'express';
import { type ActorContext, actorContext } from '../audit/audit-context';
import type { WriteHooks } from '../db/write-transaction';
import { isUniqueViolation } from '../db/errors';
import { ConflictError, ValidationError } from '../lib/errors';
import { currentUser } from '../middleware/auth';
import { flash, type FlashLine } from '../middleware/flash';
import { wantsJson } from '../middleware/respond';
import { fingerprint, fingerprintKey } from './fingerprint';
import type { IdempotencyRepository, StoredResponse } from './idempotency.repository';

export interface WriteOutcome {
  status: number;
  location: string;
  body: unknown;
  /** What a replay answers, when the first answer holds a secret that must not be stored (a password). */
  storedBody?: unknown;
  /** `lines`: one per item the message is about (a class enrolment's refused students), listed by the page. */
  flash?: { type: 'success' | 'info'; key: string; params?: Record<string, string>; lines?: FlashLine[] };
  /**
   * HTML only: the page to render as the answer instead of a redirect and a flash, for an answer that holds
   * a one-time secret (a temporary password), which must never be kept in a session.
   */
  page?: { view: string; locals: Record<string, unknown> };
}

const KEY_FORMAT = /^[A-Za-z0-9_-]{8,64}$/;

/** Raised inside the write's transaction when another request with the same key committed first. */
class AlreadyWritten extends Error {}

function requestKey(req: Request): string | undefined {
  const header = req.get('Idempotency-Key');
  const field = (req.body as Record<string, unknown> | undefined)?._idem;
  const key = header ?? (typeof field === 'string' ? field : undefined);
  if (key === undefined || key === '') return undefined;
  if (!KEY_FORMAT.test(key)) throw new ValidationError({ idempotency_key: 'validation.idempotency_key' });
  return key;
}

function send(req: Request, res: Response, outcome: WriteOutcome, replayed: boolean): void {
  if (replayed) res.setHeader('Idempotent-Replayed', 'true');
  if (wantsJson(req)) {
    if (outcome.status === 201 || outcome.status === 202) res.location(outcome.location);
    res.status(outcome.status).json(outcome.body);
    return;
  }
  if (!replayed && outcome.page) {
    res.status(outcome.status).render(outcome.page.view, outcome.page.locals);
    return;
  }
  if (replayed) flash(req, 'info', 'idempotency.replayed');
  else if (outcome.flash) flash(req, outcome.flash.type, outcome.flash.key, outcome.flash.params, outcome.flash.lines);
  res.redirect(outcome.location);
}

function fromStored(row: StoredResponse): WriteOutcome {
  return {
    status: row.status_code,
    location: row.location ?? '/',
    body: row.body_json ? JSON.parse(row.body_json) : null,
  };
}

export class IdempotentWrites {
  private readonly keys: Buffer[];

  /**
   * `secrets`: the session secrets, newest first; a key stored under an older one still matches.
   * `strict` (every environment but production): a keyed write whose service never ran the write
   * transaction (db/write-transaction.ts), and so never claimed its key, fails the request loudly; in
   * production it is logged as an error.
   */
  constructor(
    private readonly repo: IdempotencyRepository,
    secrets: readonly string[],
    private readonly options: { strict: boolean } = { strict: true },
  ) {
    if (secrets.length === 0) throw new Error('IdempotentWrites needs at least one secret');
    this.keys = secrets.map(fingerprintKey);
  }

  private prints(req: Request): string[] {
    return this.keys.map((key) => fingerprint(key, req.method, `${req.baseUrl}${req.path}`, req.body));
  }

  /** A programming error: the write ran outside the write transaction, so a retry would write it again. */
  private unclaimed(req: Request): void {
    const message = `keyed write ${req.method} ${req.baseUrl}${req.path} never claimed its idempotency key`;
    if (this.options.strict) throw new Error(message);
    req.log?.error(message);
  }

  async handle<T>(
    req: Request,
    res: Response,
    run: (ctx: ActorContext) => Promise<T>,
    describe: (result: T) => WriteOutcome,
  ): Promise<void> {
    const key = requestKey(req);
    const ctx = actorContext(req);
    if (!key) return send(req, res, describe(await run(ctx)), false);

    const userId = currentUser(req).id;
    const [print, ...older] = this.prints(req) as [string, ...string[]];
    const replay = async (): Promise<boolean> => {
      const stored = await this.repo.find(userId, key);
      if (!stored) return false;
      if (stored.fingerprint !== print && !older.includes(stored.fingerprint))
        throw new ConflictError('errors.idempotency_mismatch', 'idempotency_key_reused');
      // Claimed, not yet answered: a write of many steps (db/write-transaction.ts) is still running.
      if (stored.status_code === 0)
        throw new ConflictError('errors.idempotency_in_progress', 'idempotency_in_progress');
      send(req, res, fromStored(stored), true);
      return true;
    };
    if (await replay()) return;

    let outcome: WriteOutcome | undefined;
    let claimed = false;
    const hooks: WriteHooks = {
      claim: async (trx) => {
        claimed = true;
        const path = `${req.baseUrl}${req.path}`.slice(0, 255);
        try {
          await this.repo.claim({ user_id: userId, idem_key: key, method: req.method, path, fingerprint: print }, trx);
        } catch (err) {
          if (isUniqueViolation(err)) throw new AlreadyWritten();
          throw err;
        }
      },
      complete: async (trx, result) => {
        outcome = describe(result as T);
        const response = {
          status_code: outcome.status,
          location: outcome.location,
          body_json: JSON.stringify(outcome.storedBody ?? outcome.body),
        };
        await this.repo.complete(userId, key, response, trx);
      },
      release: (trx) => this.repo.release(userId, key, trx),
    };
    try {
      const result = await run({ ...ctx, idempotency: hooks });
      if (!claimed) this.unclaimed(req);
      send(req, res, outcome ?? describe(result), false);
    } catch (err) {
      if (!(err instanceof AlreadyWritten)) throw err;
      // The twin request committed while this one waited on the key's lock: answer as it did.
      if (!(await replay())) throw new ConflictError('errors.idempotency_in_progress', 'idempotency_in_progress');
    }
  }
}
