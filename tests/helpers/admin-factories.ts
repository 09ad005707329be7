// Rows the admin suites need: staff profiles to link accounts to, audit rows with known images.
import type { Knex } from 'knex';
import { sqlNow } from '../../src/lib/time';

let counter = 0;
const next = () => `${process.pid % 10000}${String(++counter).padStart(4, '0')}`;

export async function createStaffProfile(
  db: Knex,
  overrides: { name?: string; userId?: number | null; departmentId?: number | null } = {},
): Promise<{ id: number; staff_no: string; name: string }> {
  const n = next();
  const now = sqlNow();
  const row = {
    staff_no: `S${n}`,
    name: overrides.name ?? `教师 ${n}`,
    department_id: overrides.departmentId ?? null,
    title: '讲师',
    user_id: overrides.userId ?? null,
    created_at: now,
    updated_at: now,
  };
  const [id] = await db('staff').insert(row);
  return { id: Number(id), staff_no: row.staff_no, name: row.name };
}

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

/** A unique marker for names and usernames made in one test. */
export const uniqueTag = () => `x${next()}`;
