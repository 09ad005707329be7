import type { Knex } from 'knex';
import { sqlNow } from '../../../src/lib/time';

/** Raw: AuditRepository.record stamps the time now and returns no id; these rows need a chosen time and their id. */
export async function createAuditRow(
  db: Knex,
  row: {
    actor?: string | null;
    action?: string;
    entity?: string;
    entityId?: string | null;
    before?: unknown;
    after?: unknown;
    at?: string;
  } = {},
): Promise<number> {
  const [id] = await db('audit_log').insert({
    actor_id: null,
    actor_username: row.actor === undefined ? 'someone' : row.actor,
    action: row.action ?? 'update',
    entity: row.entity ?? 'student',
    entity_id: row.entityId === undefined ? '1' : row.entityId,
    before_json: row.before === undefined ? null : JSON.stringify(row.before),
    after_json: row.after === undefined ? null : JSON.stringify(row.after),
    node_id: 'test-node',
    request_id: null,
    at: row.at ?? sqlNow(),
  });
  return Number(id);
}
