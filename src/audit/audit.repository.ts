import type { Knex } from 'knex';
import { sqlNow } from '../lib/time';
import type { AuditAction, AuditEntity } from './audit-actions';

export interface AuditEntry {
  actorId: number | null;
  actorUsername: string | null;
  action: AuditAction;
  entity: AuditEntity;
  entityId: string | number | null;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
  clientRequestId?: string | null;
}

export interface AuditRow {
  id: number;
  actor_id: number | null;
  actor_username: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  node_id: string;
  request_id: string | null;
  client_request_id: string | null;
  at: string;
}

export class AuditRepository {
  constructor(
    private readonly db: Knex,
    private readonly nodeId: string,
  ) {}

  /** Call with the transaction of the change itself, so the audit row commits or rolls back with it. */
  async record(entry: AuditEntry, trx: Knex = this.db): Promise<void> {
    await trx('audit_log').insert(this.row(entry, sqlNow()));
  }

  /** Many rows in multi-row inserts (a bulk write's entry per record), in the caller's transaction. */
  async recordMany(entries: readonly AuditEntry[], trx: Knex, batch = 200): Promise<void> {
    const at = sqlNow();
    for (let i = 0; i < entries.length; i += batch)
      await trx('audit_log').insert(entries.slice(i, i + batch).map((e) => this.row(e, at)));
  }

  private row(entry: AuditEntry, at: string) {
    return {
      actor_id: entry.actorId,
      actor_username: entry.actorUsername,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId === null ? null : String(entry.entityId),
      before_json: entry.before === undefined ? null : JSON.stringify(entry.before),
      after_json: entry.after === undefined ? null : JSON.stringify(entry.after),
      node_id: this.nodeId,
      request_id: entry.requestId ?? null,
      client_request_id: entry.clientRequestId ?? null,
      at,
    };
  }

  forEntity(entity: AuditEntity, entityId: string | number, limit = 50): Promise<AuditRow[]> {
    return this.db<AuditRow>('audit_log')
      .where({ entity, entity_id: String(entityId) })
      .orderBy('id', 'desc')
      .limit(limit);
  }
}
