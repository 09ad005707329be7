import type { Knex } from 'knex';
import { SectionsRepository } from '../../../src/sections/sections.repository';
import type { MeetingInput } from '../../../src/sections/sections.schemas';
import { createCourse } from './courses';
import { createTerm } from './terms';
import { nextSeq } from './unique';

export type { MeetingInput };

export interface SectionOverrides {
  courseId?: number;
  termId?: number;
  sectionNo?: string;
  capacity?: number;
  /** Default: none, so sections made for unrelated purposes never clash on a timetable. */
  meetings?: MeetingInput[];
  status?: 'open' | 'closed';
  teacherStaffId?: number | null;
  room?: string | null;
  /** Sets sections.enrolled_count directly (no enrolment rows are made). */
  enrolledCount?: number;
}

/** A section of a new course in a new term unless they are given. */
export async function createSection(
  db: Knex,
  overrides: SectionOverrides = {},
): Promise<{ id: number; courseId: number; termId: number; sectionNo: string }> {
  const courseId = overrides.courseId ?? (await createCourse(db)).id;
  const termId = overrides.termId ?? (await createTerm(db)).id;
  const sectionNo = overrides.sectionNo ?? `S${String(nextSeq()).padStart(4, '0')}`.slice(0, 8);
  const meetings = overrides.meetings ?? [];
  const sections = new SectionsRepository(db);
  const id = await sections.insert({
    course_id: courseId,
    term_id: termId,
    section_no: sectionNo,
    teacher_staff_id: overrides.teacherStaffId ?? null,
    capacity: overrides.capacity ?? 30,
    room: overrides.room ?? null,
    status: overrides.status ?? 'open',
    meetings,
  });
  if (meetings.length > 0) await sections.replaceMeetings(id, meetings);
  // Raw: no repository sets the seat counter outright (it only moves one seat at a time, guarded).
  if (overrides.enrolledCount) await db('sections').where({ id }).update({ enrolled_count: overrides.enrolledCount });
  return { id, courseId, termId, sectionNo };
}
