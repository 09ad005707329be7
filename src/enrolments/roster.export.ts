// A section's roster as a file: the seats as the printable roster numbers them, then the waiting list
// with each place's position, the columns labelled as the section page labels them.
import type { TFunction } from 'i18next';
import type { ExportColumn } from '../lib/export';
import type { RosterLine } from './enrolments.repository';

export type ExportedRosterLine = RosterLine & { row_no: number | null };

/** Seats numbered 1, 2, ... as on the printed roster; a waiting place has its position instead. */
export async function* numberedSeats(
  batches: AsyncIterable<RosterLine[]>,
): AsyncGenerator<ExportedRosterLine[], void, undefined> {
  let seat = 0;
  for await (const lines of batches)
    yield lines.map((line) => ({ ...line, row_no: line.status === 'enrolled' ? ++seat : null }));
}

export function rosterColumns(t: TFunction): ExportColumn<ExportedRosterLine>[] {
  return [
    { heading: t('enrolments.roster.row_no'), value: (l) => l.row_no, width: 6 },
    { heading: t('student.student_no'), value: (l) => l.student_no, width: 16 },
    { heading: t('student.name'), value: (l) => l.name, width: 16 },
    { heading: t('enrolments.roster.class'), value: (l) => l.class_code, width: 14 },
    {
      heading: t('enrolments.roster.student_status'),
      value: (l) => t(`status.${l.student_status}`, { defaultValue: l.student_status }),
    },
    { heading: t('enrolments.roster.export.place'), value: (l) => t(`enrolments.roster.export.${l.status}`) },
    { heading: t('enrolments.roster.position'), value: (l) => l.position },
  ];
}
