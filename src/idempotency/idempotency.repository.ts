import type { Knex } from 'knex';
import { sqlNow } from '../lib/time';

export interface StoredResponse {
  user_id: number;
  idem_key: string;
  method: string;
  path: string;
  fingerprint: string;
  status_code: number;
  location: string | null;
  body_json: string | null;
}

export class IdempotencyRepository {
  constructor(private readonly db: Knex) {}

  find(userId: number, key: string, trx: Knex = this.db): Promise<StoredResponse | undefined> {
    return trx<StoredResponse>('idempotency_keys').where({ user_id: userId, idem_key: key }).first();
  }

  /** Claims a key with a pending response (status 0); a unique violation means it is taken. */
  async claim(
    row: Pick<StoredResponse, 'user_id' | 'idem_key' | 'method' | 'path' | 'fingerprint'>,
    trx: Knex,
  ): Promise<void> {
    await trx('idempotency_keys').insert({ ...row, status_code: 0, created_at: sqlNow() });
  }

  async complete(
    userId: number,
    key: string,
    response: Pick<StoredResponse, 'status_code' | 'location' | 'body_json'>,
    trx: Knex,
  ): Promise<void> {
    await trx('idempotency_keys').where({ user_id: userId, idem_key: key }).update(response);
  }

  /** Gives up a claim whose write failed (only while it is still pending). */
  async release(userId: number, key: string, trx: Knex): Promise<void> {
    await trx('idempotency_keys').where({ user_id: userId, idem_key: key, status_code: 0 }).delete();
  }

  /** Forgets keys older than `maxAgeMs`, a bounded batch at a time. */
  async prune(maxAgeMs: number, limit = 1_000): Promise<number> {
    const cutoff = sqlNow(new Date(Date.now() - maxAgeMs));
    const ids = await this.db('idempotency_keys').where('created_at', '<', cutoff).limit(limit).pluck('id');
    if (ids.length === 0) return 0;
    return this.db('idempotency_keys').whereIn('id', ids).delete();
  }
}
