// The audit log viewer: filtered, paged newest first, each row as people read it (audit/audit-presenter.ts)
// with a field-by-field before/after diff.
import { AUDIT_ACTIONS, AUDIT_ENTITIES } from '../audit/audit-actions';
import type { AuditEntryView, AuditPresenter } from '../audit/audit-presenter';
import type { Language } from '../i18n/i18n';
import { EXPORT_BATCH_SIZE } from '../lib/export';
import { inBatches } from '../lib/keyset';
import { parseOrThrow } from '../lib/validate';
import type { AuditLogRepository } from './audit-log.repository';
import { auditQuerySchema } from './users.schemas';

export type { AuditEntryView } from '../audit/audit-presenter';

export class AuditLogService {
  constructor(
    private readonly log: AuditLogRepository,
    private readonly presenter: AuditPresenter,
  ) {}

  async search(rawQuery: unknown, lang: Language) {
    const query = parseOrThrow(auditQuerySchema, rawQuery);
    const { rows, total, exact, cursors } = await this.log.search(query);
    return {
      entries: await this.presenter.present(rows, lang),
      total,
      page: query.page,
      size: query.size,
      pages: Math.max(1, Math.ceil(total / query.size)),
      exact,
      cursors,
      // The filter's choices: every action and record type the app writes.
      choices: { actions: AUDIT_ACTIONS, entities: AUDIT_ENTITIES },
    };
  }

  /**
   * Every entry the filters match, newest first, as people read them, `size` at a time (an export). The
   * filters are read as the page reads them, at the first batch, so a bad one is a 422 before the file starts.
   */
  async *exportBatches(rawQuery: unknown, lang: Language, size = EXPORT_BATCH_SIZE): AsyncGenerator<AuditEntryView[]> {
    const query = parseOrThrow(auditQuerySchema, rawQuery);
    const rows = inBatches(
      (after, limit) => this.log.batchAfter(query, after, limit),
      (row) => ({ value: row.at, id: Number(row.id) }),
      size,
    );
    for await (const batch of rows) yield this.presenter.present(batch, lang);
  }

  /** The newest changes (sign-ins and sign-outs left out), as people read them. */
  async recentChanges(lang: Language, limit = 10): Promise<AuditEntryView[]> {
    return this.presenter.present(await this.log.recentChanges(limit), lang);
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
    action_label: entry.actionLabel,
    entity: row.entity,
    entity_label: entry.entityLabel,
    entity_id: row.entity_id,
    record_name: entry.recordName,
    node_id: row.node_id,
    request_id: row.request_id,
    client_request_id: row.client_request_id,
    before: entry.before,
    after: entry.after,
    changes: entry.changes.filter((c) => c.changed).map(({ field, before, after }) => ({ field, before, after })),
  };
}
