// The audit log as a file: one line per entry as the audit page reads it (audit/audit-presenter.ts), the
// time on the university's clock, the changed fields as "label: before → after".
import type { TFunction } from 'i18next';
import type { AuditEntryView } from '../audit/audit-presenter';
import type { ExportColumn } from '../lib/export';
import { utcToWallTime } from '../lib/time';

function changesText(entry: AuditEntryView, t: TFunction): string {
  const blank = '—';
  return entry.fields
    .filter((c) => c.changed)
    .map((c) => {
      const values = { before: c.before ?? blank, after: c.after ?? blank };
      return c.label
        ? t('admin.audit.export.change', { field: c.label, ...values })
        : t('admin.audit.export.change_plain', values);
    })
    .join(t('admin.audit.export.change_separator'));
}

export function auditColumns(t: TFunction, timeZone: string): ExportColumn<AuditEntryView>[] {
  return [
    {
      heading: t('admin.audit.export.at', { zone: timeZone }),
      value: (e) => utcToWallTime(e.row.at, timeZone, { seconds: true }).replace('T', ' ') || e.row.at,
      kind: 'datetime',
      width: 20,
    },
    { heading: t('admin.audit.actor'), value: (e) => e.row.actor_username ?? t('admin.audit.system'), width: 16 },
    { heading: t('admin.audit.action'), value: (e) => e.actionLabel, width: 20 },
    { heading: t('admin.audit.entity'), value: (e) => e.entityLabel },
    { heading: t('admin.audit.export.record'), value: (e) => e.recordName, width: 24 },
    { heading: t('admin.audit.entity_id'), value: (e) => e.row.entity_id },
    { heading: t('admin.audit.export.changes'), value: (e) => changesText(e, t), width: 60 },
    { heading: t('admin.audit.export.node'), value: (e) => e.row.node_id },
    { heading: t('admin.audit.export.request'), value: (e) => e.row.request_id, width: 24 },
  ];
}
