// What describes one kind of record to the shared repository, service, routes and views.
import type { TFunction } from 'i18next';
import type { z } from 'zod';
import type { AuditEntity } from '../audit/audit-actions';
import type { BaseRow, TableShape } from './records.repository';

export interface FieldSpec {
  name: string;
  type: 'text' | 'email' | 'number' | 'date' | 'datetime-local' | 'select';
  required?: boolean;
}

export interface Option {
  value: string | number;
  label: string;
  /** The label on English pages, when the record keeps an English name. */
  label_en?: string;
}

export interface Reference {
  table: string;
  archivable: boolean;
  /** Only rows with these column values may be newly referenced (a value kept unchanged is not re-checked). */
  where?: Readonly<Record<string, string | number | boolean>>;
  /** The field error when the id names a row that `where` leaves out ('org.validation.reference' for no row). */
  errorKey?: string;
}

export interface RecordDef<Row extends BaseRow = BaseRow> extends TableShape {
  /** The audit log's entity name. */
  entity: AuditEntity;
  /** Where the router is mounted, e.g. '/departments'. */
  base: string;
  /** Locale namespace of the kind's own texts (title, field labels, not_found...). */
  ns: string;
  fields: readonly FieldSpec[];
  /** Columns shown in the list, the first one linking to the record. */
  listColumns: readonly string[];
  schema: z.ZodType<Record<string, unknown>>;
  /** A unique key's column -> the field error when it is violated. */
  unique: Readonly<Record<string, string>>;
  /** Foreign keys checked in the write's transaction, so a bad id is a field error on both databases. */
  references: Readonly<Record<string, Reference>>;
  label: (row: Row) => string;
  /** The record's English name, where it keeps one (flash messages on English pages). */
  labelEn?: (row: Row) => string | null;
  toJson: (row: Row) => Record<string, unknown>;
  /** Choices for select fields, by field name. */
  lookups?: (sources: LookupSources) => Promise<Record<string, Option[]>>;
  /** Values the edit form starts from, when a column is not shown as stored (datetimes). */
  formValues?: (row: Row) => Record<string, string>;
  /**
   * A form post's body as the schema reads it, when a form shows a value otherwise than the API takes it
   * (a wall time on the university's clock). Applied to HTML form posts only, never to JSON requests.
   */
  fromForm?: (body: Record<string, unknown>) => Record<string, unknown>;
  /** Interpolation values for the field labels (`{{zone}}` in a label). */
  labelParams?: (t: TFunction) => Record<string, string>;
}

/** Where a record form's select choices come from: other kinds' active records, and accounts. */
export interface LookupSources {
  options(kind: 'departments' | 'majors' | 'classes' | 'staff'): Promise<Option[]>;
  /** Accounts a staff profile can link to (the users feature answers). */
  staffAccounts(): Promise<Option[]>;
}
