// Audit rows as people read them: the action and the record type in the page language, each changed
// field under the label its form gives it, values as the pages show them (a gender, a status, a class's
// name rather than its id, a time in the university's zone). Referenced records are named by one query
// per referenced table for a whole page of rows, never one per row.
import type { TFunction } from 'i18next';
import { DEFAULT_TIME_ZONE, type Formatter, formatterFor } from '../i18n/format';
import { type Language, translator } from '../i18n/i18n';
import { localName, termName } from '../i18n/names';
import type { AuditAction } from './audit-actions';
import { type FieldValue, fieldDisplay, isRefKind, isShown, REF_KINDS, type RefKind } from './audit-fields';
import type { AuditRow } from './audit.repository';

/** A referenced record as its name is built: a code and a name (a term: its year and semester). */
export interface RecordName {
  code: string | null;
  name: string;
  name_en?: string | null;
  academic_year?: string | null;
  semester?: number | string | null;
}

/** One record type's names, for many ids in one query (ids that name no row are left out). */
export interface RecordNames {
  namesOf(ids: readonly number[]): Promise<Map<number, RecordName>>;
}

/** Where each referenced record type's names come from: the feature that owns the table answers. */
export type AuditNameSources = Readonly<Record<RefKind, RecordNames>>;

/** One field of the stored images, compared as stored (the JSON answer's `changes`). */
export interface FieldChange {
  field: string;
  before: string | null;
  after: string | null;
  changed: boolean;
}

/** One field as the page shows it: labelled, values formatted. */
export interface DisplayChange extends FieldChange {
  label: string;
}

export interface AuditEntryView {
  row: AuditRow;
  before: unknown;
  after: unknown;
  /** Every field of either stored image, compared as stored. */
  changes: FieldChange[];
  actionLabel: string;
  entityLabel: string;
  /** The record the row is about, by name; null when its type has no name or the row is gone. */
  recordName: string | null;
  /** The fields a person reads (bookkeeping left out), labelled and formatted. */
  fields: DisplayChange[];
  /** Labels of the fields an edit changed ("Phone", "Class"); empty for other actions. */
  changedLabels: string[];
  /** "Updated: Phone, Class", or the action alone. */
  summary: string;
}

/** A row of a record's own history: who did what when, and for an edit which fields. */
export interface HistoryEntry {
  id: number;
  at: string;
  actor_username: string | null;
  node_id: string;
  action: string;
  actionLabel: string;
  changedLabels: string[];
  summary: string;
}

/** Actions whose changed fields are worth naming: in the others the action itself says what changed. */
const EDITS: readonly string[] = ['update', 'update_profile'] satisfies AuditAction[];

export function parseImage(text: string | null): unknown {
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

/** A view that nests the record under its type's name (a section: `{ section, meetings }`) read flat. */
function flatImage(entity: string, image: unknown): unknown {
  if (!isRecord(image) || !isRecord(image[entity])) return image;
  const { [entity]: own, ...rest } = image;
  return { ...(own as Record<string, unknown>), ...rest };
}

interface Images {
  before: unknown;
  after: unknown;
  flatBefore: unknown;
  flatAfter: unknown;
}

function imagesOf(row: AuditRow): Images {
  const before = parseImage(row.before_json);
  const after = parseImage(row.after_json);
  return { before, after, flatBefore: flatImage(row.entity, before), flatAfter: flatImage(row.entity, after) };
}

export const actionLabel = (t: TFunction, action: string): string =>
  t(`audit.actions.${action}`, { defaultValue: action });

export const entityLabel = (t: TFunction, entity: string): string =>
  t(`admin.audit.entities.${entity}`, { defaultValue: entity });

const fieldLabel = (t: TFunction, entity: string, field: string): string => {
  const spec = fieldDisplay(entity, field);
  return spec ? t(spec.label) : field;
};

/** The shown fields of a row's images, stored values compared. */
function shownChanges(row: AuditRow, images: Images): FieldChange[] {
  return diffImages(images.flatBefore, images.flatAfter).filter((c) => c.field === '' || isShown(row.entity, c.field));
}

function changedLabelsOf(row: AuditRow, changes: FieldChange[], t: TFunction): string[] {
  if (!EDITS.includes(row.action)) return [];
  return changes.filter((c) => c.changed && c.field !== '').map((c) => fieldLabel(t, row.entity, c.field));
}

function summaryOf(t: TFunction, action: string, fieldLabels: string[]): string {
  if (fieldLabels.length === 0) return action;
  return t('audit.changed_fields', { action, fields: fieldLabels.join(t('audit.list_separator')) });
}

/** A record's history rows (its detail page): needs no lookup, the record itself is the page. */
export function auditHistory(rows: readonly AuditRow[], t: TFunction): HistoryEntry[] {
  return rows.map((row) => {
    const label = actionLabel(t, row.action);
    const changedLabels = changedLabelsOf(row, shownChanges(row, imagesOf(row)), t);
    return {
      id: Number(row.id),
      at: row.at,
      actor_username: row.actor_username,
      node_id: row.node_id,
      action: row.action,
      actionLabel: label,
      changedLabels,
      summary: summaryOf(t, label, changedLabels),
    };
  });
}

type Names = ReadonlyMap<RefKind, ReadonlyMap<number, RecordName>>;

function recordId(value: unknown): number | undefined {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** How the pages name a record of each type. */
function nameText(kind: RefKind, row: RecordName, lang: Language): string {
  switch (kind) {
    case 'term':
      return termName(lang, row);
    case 'student':
      return row.code ? `${row.name} (${row.code})` : row.name;
    case 'user':
      return row.name;
    default: {
      const name = localName(lang, row.name, row.name_en);
      return row.code ? `${row.code} ${name}` : name;
    }
  }
}

const isYes = (v: unknown) => v === true || v === 1 || v === '1' || v === 'true';

interface Reading {
  t: TFunction;
  fmt: Formatter;
  lang: Language;
  names: Names;
}

function meetingsText(value: unknown, t: TFunction): string {
  if (!Array.isArray(value)) return display(value) ?? '';
  if (value.length === 0) return t('catalogue.sections.no_meetings');
  return value
    .map((m: unknown) => {
      if (!isRecord(m)) return display(m) ?? '';
      const day = t(`catalogue.weekday.${String(m.day_of_week)}`, { defaultValue: String(m.day_of_week) });
      return t('catalogue.periods', { day, start: m.start_period, end: m.end_period });
    })
    .join('; ');
}

function formatValue(value: unknown, spec: FieldValue | undefined, r: Reading): string | null {
  if (value === undefined || value === null || value === '') return null;
  switch (spec?.kind) {
    case 'choice':
      return r.t(`${spec.key}.${String(value)}`, { defaultValue: String(value) });
    case 'ref': {
      const id = recordId(value);
      const named = id === undefined ? undefined : r.names.get(spec.to)?.get(id);
      return named ? nameText(spec.to, named, r.lang) : `#${String(value)}`;
    }
    case 'date':
      return r.fmt.date(display(value));
    case 'datetime':
      return r.fmt.dateTime(display(value));
    case 'flag':
      return r.t(isYes(value) ? spec.yes : spec.no);
    case 'meetings':
      return meetingsText(value, r.t);
    default:
      return display(value);
  }
}

export class AuditPresenter {
  /** `timeZone`: the university's (config TIME_ZONE), the zone every page shows times in. */
  constructor(
    private readonly sources: AuditNameSources,
    private readonly timeZone: string = DEFAULT_TIME_ZONE,
  ) {}

  /** A page of rows in `lang`: one name lookup per referenced record type, however many rows. */
  async present(rows: readonly AuditRow[], lang: Language): Promise<AuditEntryView[]> {
    const read = rows.map((row) => ({ row, images: imagesOf(row) }));
    const names = await this.namesFor(read);
    const r: Reading = { t: translator(lang), fmt: formatterFor(lang, this.timeZone), lang, names };
    return read.map(({ row, images }) => this.entry(row, images, r));
  }

  private entry(row: AuditRow, images: Images, r: Reading): AuditEntryView {
    const { t } = r;
    const shown = shownChanges(row, images);
    const flat = [images.flatBefore, images.flatAfter].map((i) => (isRecord(i) ? i : {}));
    const fields = shown.map((c) => {
      if (c.field === '') return { ...c, label: '' };
      const spec = fieldDisplay(row.entity, c.field)?.value;
      return {
        ...c,
        label: fieldLabel(t, row.entity, c.field),
        before: formatValue(flat[0]![c.field], spec, r),
        after: formatValue(flat[1]![c.field], spec, r),
      };
    });
    const kind = isRefKind(row.entity) ? row.entity : undefined;
    const id = recordId(row.entity_id);
    const named = kind && id !== undefined ? r.names.get(kind)?.get(id) : undefined;
    const label = actionLabel(t, row.action);
    const changedLabels = changedLabelsOf(row, shown, t);
    return {
      row,
      before: images.before,
      after: images.after,
      changes: diffImages(images.before, images.after),
      actionLabel: label,
      entityLabel: entityLabel(t, row.entity),
      recordName: kind && named ? nameText(kind, named, r.lang) : null,
      fields,
      changedLabels,
      summary: summaryOf(t, label, changedLabels),
    };
  }

  /** Every record the rows name (the row's own record, and ids in its images), one query per type. */
  private async namesFor(read: { row: AuditRow; images: Images }[]): Promise<Names> {
    const wanted = new Map<RefKind, Set<number>>(REF_KINDS.map((kind) => [kind, new Set<number>()]));
    const want = (kind: RefKind, value: unknown) => {
      const id = recordId(value);
      if (id !== undefined) wanted.get(kind)!.add(id);
    };
    for (const { row, images } of read) {
      if (isRefKind(row.entity)) want(row.entity, row.entity_id);
      for (const image of [images.flatBefore, images.flatAfter]) {
        if (!isRecord(image)) continue;
        for (const [field, value] of Object.entries(image)) {
          const spec = fieldDisplay(row.entity, field)?.value;
          if (spec?.kind === 'ref') want(spec.to, value);
        }
      }
    }
    const asked = [...wanted].filter(([, ids]) => ids.size > 0);
    const answers = await Promise.all(
      asked.map(async ([kind, ids]) => [kind, await this.sources[kind].namesOf([...ids])] as const),
    );
    return new Map(answers);
  }
}
