// The JSON shapes of sections. `toSectionListItem` is the contract's list item (CONTRACT.md:
// id, course_code, course_name, term, capacity, enrolled, seats_left, waitlisted, status) plus extras;
// other features (enrolments, /me) build their own rows from it, so keep the existing fields stable.
import type { MeetingInput } from './sections.schemas';
import type { SectionDetailRow, SectionListRow } from './sections.repository';

export interface SectionListItem {
  id: number;
  course_id: number;
  course_code: string;
  course_name: string;
  /** The course's official English name (null when none is kept). */
  course_name_en: string | null;
  credits: number;
  term: string;
  term_id: number;
  section_no: string;
  teacher: string | null;
  capacity: number;
  enrolled: number;
  seats_left: number;
  waitlisted: number;
  status: string;
  room: string | null;
  meetings: MeetingInput[];
}

/** Seats as numbers whatever the driver returns; never fewer than none left. */
function seats(row: { capacity: number | string; enrolled_count: number | string }) {
  const capacity = Number(row.capacity);
  const enrolled = Number(row.enrolled_count);
  return { capacity, enrolled, seats_left: Math.max(0, capacity - enrolled) };
}

export function toSectionListItem(row: SectionListRow): SectionListItem {
  return {
    id: row.id,
    course_id: row.course_id,
    course_code: row.course_code,
    course_name: row.course_name,
    course_name_en: row.course_name_en ?? null,
    credits: Number(row.credits),
    term: row.term_code,
    term_id: row.term_id,
    section_no: row.section_no,
    teacher: row.teacher_name,
    ...seats(row),
    waitlisted: Number(row.waitlisted),
    status: row.status,
    room: row.room,
    meetings: row.meetings.map(toMeetingJson),
  };
}

export function toMeetingJson(m: MeetingInput): MeetingInput {
  return { day_of_week: Number(m.day_of_week), start_period: Number(m.start_period), end_period: Number(m.end_period) };
}

export function toSectionJson(row: SectionDetailRow, meetings: MeetingInput[]) {
  return {
    id: row.id,
    course_id: row.course_id,
    course_code: row.course_code,
    course_name: row.course_name,
    course_name_en: row.course_name_en ?? null,
    term: row.term_code,
    term_id: row.term_id,
    section_no: row.section_no,
    teacher_staff_id: row.teacher_staff_id,
    teacher: row.teacher_name,
    ...seats(row),
    room: row.room,
    status: row.status,
    meetings: meetings.map(toMeetingJson),
    version: row.version,
    archived: row.deleted_at !== null,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
