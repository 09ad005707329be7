// The student list as a file: the record's fields under the form's labels, choices as the pages name
// them, the class by its code (asked of the organisation feature, one look-up per batch).
import type { TFunction } from 'i18next';
import type { RecordName } from '../audit/audit-presenter';
import type { ExportColumn } from '../lib/export';
import type { StudentRow } from './students.repository';

export type ExportedStudent = StudentRow & { class_code: string | null };

/** Class codes and names by id (archived classes too). */
export type ClassNames = (ids: readonly number[]) => Promise<Map<number, RecordName>>;

export async function* withClassCodes(
  batches: AsyncIterable<StudentRow[]>,
  classNames: ClassNames,
): AsyncGenerator<ExportedStudent[], void, undefined> {
  for await (const rows of batches) {
    const ids = [...new Set(rows.map((r) => r.class_id).filter((id): id is number => id !== null))];
    const names = ids.length > 0 ? await classNames(ids) : new Map<number, RecordName>();
    yield rows.map((r) => ({
      ...r,
      class_code: r.class_id === null ? null : (names.get(Number(r.class_id))?.code ?? null),
    }));
  }
}

export function studentColumns(t: TFunction): ExportColumn<ExportedStudent>[] {
  const label = (field: string) => t(`student.${field}`);
  return [
    { heading: label('student_no'), value: (s) => s.student_no, width: 16 },
    { heading: label('name'), value: (s) => s.name, width: 16 },
    { heading: label('gender'), value: (s) => t(`gender.${s.gender}`, { defaultValue: s.gender }) },
    { heading: label('birth_date'), value: (s) => s.birth_date, kind: 'date', width: 12 },
    { heading: label('email'), value: (s) => s.email, width: 28 },
    { heading: label('phone'), value: (s) => s.phone, width: 16 },
    { heading: label('address'), value: (s) => s.address, width: 32 },
    { heading: label('enrolment_year'), value: (s) => Number(s.enrolment_year) },
    { heading: label('status'), value: (s) => t(`status.${s.status}`, { defaultValue: s.status }) },
    { heading: label('class_id'), value: (s) => s.class_code, width: 14 },
  ];
}
