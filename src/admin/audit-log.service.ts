// The audit log viewer: filtered, paged newest first, each row with a field-by-field before/after diff.
import type { AuditRow } from '../audit/audit.repository';
import { parseOrThrow } from '../lib/validate';
import type { AuditLogRepository } from './audit-log.repository';
import { auditQuerySchema } from './users.schemas';

export interface FieldChange {
  field: string;
  before: string | null;
  after: string | null;
  changed: boolean;
}

export interface AuditEntryView {
  row: AuditRow;
  before: unknown;
  after: unknown;
  changes: FieldChange[];
}

function parseJson(text: string | null): unknown {
  if (text === null || text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text; // an old or hand-written row: shown as it is
  }
}

function display(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every field of either image, in the after image's order, marked when its value differs. */
export function diffImages(before: unknown, after: unknown): FieldChange[] {
  if (before === null && after === null) return [];
  if (!isRecord(before) && !isRecord(after)) {
    const b = display(before);
    const a = display(after);
    return [{ field: '', before: b, after: a, changed: b !== a }];
  }
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return fields.map((field) => {
    const was = display(b[field]);
    const now = display(a[field]);
    return { field, before: was, after: now, changed: was !== now };
  });
}

export class AuditLogService {
  constructor(private readonly log: AuditLogRepository) {}

  async search(rawQuery: unknown) {
    const query = parseOrThrow(auditQuerySchema, rawQuery);
    const { rows, total, exact, cursors } = await this.log.search(query);
    const entries: AuditEntryView[] = rows.map((row) => {
      const before = parseJson(row.before_json);
      const after = parseJson(row.after_json);
      return { row, before, after, changes: diffImages(before, after) };
    });
    return {
      entries,
      total,
      page: query.page,
      size: query.size,
      pages: Math.max(1, Math.ceil(total / query.size)),
      exact,
      cursors,
      suggestions: await this.log.distinctValues(),
    };
  }

  recentChanges(limit = 10) {
    return this.log.recentChanges(limit);
  }
}

export function toAuditJson(entry: AuditEntryView) {
  const { row } = entry;
  return {
    id: Number(row.id),
    at: row.at,
    actor_id: row.actor_id,
    actor_username: row.actor_username,
    action: row.action,
    entity: row.entity,
    entity_id: row.entity_id,
    node_id: row.node_id,
    request_id: row.request_id,
    client_request_id: row.client_request_id,
    before: entry.before,
    after: entry.after,
    changes: entry.changes.filter((c) => c.changed).map(({ field, before, after }) => ({ field, before, after })),
  };
}
