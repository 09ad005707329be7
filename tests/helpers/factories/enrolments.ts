import type { Knex } from 'knex';
import { EnrolmentsRepository, type EnrolmentStatus } from '../../../src/enrolments/enrolments.repository';

/**
 * An enrolment row, as the enrolment service would leave it: 'enrolled' also takes a seat of the section
 * (sections.enrolled_count), 'waitlisted' gets the next waitlist_seq of its section, and 'dropped' is a
 * waiting place given up.
 */
export async function insertEnrolment(
  db: Knex,
  sectionId: number,
  studentId: number,
  status: EnrolmentStatus = 'enrolled',
): Promise<{ id: number }> {
  const enrolments = new EnrolmentsRepository(db);
  const waitlistSeq = status === 'waitlisted' ? (await enrolments.waitlistTail(sectionId, db)).lastSeq + 1 : null;
  const placed = status === 'enrolled' ? 'enrolled' : 'waitlisted';
  const id = await enrolments.place(
    undefined,
    { sectionId, studentId, status: placed, waitlistSeq, windowOverride: false },
    db,
  );
  if (status === 'enrolled') await enrolments.takeSeat(sectionId, db);
  if (status === 'dropped') await enrolments.markDropped(id, false, db);
  return { id };
}
