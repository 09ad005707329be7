import type { GpaSummary } from '../gpa/gpa';
import { termName } from '../i18n/names';
import { toStudentJson } from '../students/students.serializer';
import type { CourseLine, MyRecord, TermRecord, Transcript } from './me.service';

const summaryJson = (s: GpaSummary) => ({ gpa: s.gpa, gpa_credits: s.gpaCredits, credits_earned: s.earnedCredits });

const courseJson = (c: CourseLine) => ({
  section_id: c.section_id,
  course_code: c.course_code,
  course_name: c.course_name,
  course_name_en: c.course_name_en,
  section_no: c.section_no,
  credits: c.credits,
  grading: c.grading,
  score: c.score,
  passed: c.passed,
  grade_points: c.grade_points,
  published: c.published,
  being_corrected: c.being_corrected,
});

const termJson = (t: TermRecord) => ({
  term: t.code,
  term_name: t.name,
  term_name_en: termName('en', t),
  current: t.is_current,
  courses: t.courses.map(courseJson),
  ...summaryJson(t.summary),
});

export function toMyRecordJson(record: MyRecord) {
  return {
    student: toStudentJson(record.student),
    placement: record.placement,
    current_term: record.current,
    selection: record.selection && {
      term: record.selection.term.code,
      state: record.selection.state,
      opens_at: record.selection.opens_at,
      closes_at: record.selection.closes_at,
    },
    timetable: record.timetable.map(({ course, meetings }) => ({
      section_id: course.section_id,
      course_code: course.course_code,
      course_name: course.course_name,
      course_name_en: course.course_name_en,
      section_no: course.section_no,
      room: course.room,
      teacher: course.teacher,
      meetings: meetings.map((m) => ({
        day_of_week: m.day_of_week,
        start_period: m.start_period,
        end_period: m.end_period,
      })),
    })),
    enrolments: record.terms.flatMap((t) =>
      t.courses.map((c) => ({
        section_id: c.section_id,
        term: t.code,
        course_code: c.course_code,
        course_name: c.course_name,
        course_name_en: c.course_name_en,
      })),
    ),
    grades: record.terms.map(termJson),
    gpa: {
      overall: summaryJson(record.overall),
      terms: record.terms.map((t) => ({ term: t.code, ...summaryJson(t.summary) })),
    },
  };
}

export function toTranscriptJson(transcript: Transcript) {
  const { student } = transcript;
  return {
    student: {
      id: student.id,
      student_no: student.student_no,
      name: student.name,
      enrolment_year: student.enrolment_year,
    },
    placement: transcript.placement,
    terms: transcript.terms.map(termJson),
    overall: summaryJson(transcript.overall),
  };
}
