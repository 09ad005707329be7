// A course with a grade recorded is not dropped: neither the student's list nor the staff roster offers
// Drop for it, and the service refuses one (409 enrolment_graded) with the grade and the seat kept.
import type { Response } from 'supertest';
import {
  createCourse,
  createSection,
  createStudent,
  createUser,
  insertEnrolment,
  insertGrade,
  uniqueCode,
} from '../helpers/factories';
import { dropJson, seatCounts, signedInStudent, tokenFor } from '../helpers/selection';
import { type Agent, postForm, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

describe('graded places', () => {
  let t: TestApp;
  let staff: Agent;

  beforeAll(async () => {
    t = await buildTestApp();
    staff = await signIn(t.app, await createUser(t.db, 'staff'));
  });
  afterAll(() => t.close());

  const writes = async () => ({
    enrolments: await t.db('enrolments').orderBy('id').select('id', 'status'),
    grades: await t.db('grades').orderBy('id').select('id', 'enrolment_id', 'score', 'version'),
    audits: Number(((await t.db('audit_log').count({ n: '*' }).first()) as { n: number | string }).n),
  });

  const rowOf = (html: string, marker: string) => {
    const start = html.indexOf(marker);
    return start === -1 ? '' : html.slice(start, html.indexOf('</tr>', start));
  };
  const formError = (res: Response) => /data-form-error>([^<]*)</.exec(res.text)?.[1];

  /** A student with a graded seat and an ungraded one in a term whose selection window is open. */
  async function gradedStudent() {
    const course = await createCourse(t.db, { code: uniqueCode('GRD'), name: 'Graded course' });
    const graded = await createSection(t.db, { courseId: course.id });
    const open = await createSection(t.db, { termId: graded.termId });
    const s = await signedInStudent(t.app, t.db);
    const seat = await insertEnrolment(t.db, graded.id, s.row.id);
    await insertGrade(t.db, seat.id, { score: 88 });
    await insertEnrolment(t.db, open.id, s.row.id);
    const term = (await t.db('terms').where({ id: graded.termId }).first('code')).code as string;
    return { s, course, graded, open, term, seat };
  }

  it('the student’s list offers no Drop for a graded course, and still does for the others', async () => {
    const { s, graded, open, term } = await gradedStudent();
    const html = (await s.agent.get(`/sections?term=${term}`).set('Accept', 'text/html')).text;
    const gradedRow = rowOf(html, `<tr data-section-id="${graded.id}"`);
    expect(gradedRow).toContain('Graded: cannot be dropped');
    expect(gradedRow).not.toContain('/delete"');
    expect(rowOf(html, `<tr data-section-id="${open.id}"`)).toContain(
      `/sections/${open.id}/enrolments/${s.row.id}/delete`,
    );
  });

  it('refuses the student’s drop of a graded course: 409, the list again, the message in the row, nothing written', async () => {
    const { s, course, graded, term } = await gradedStudent();
    const before = await writes();
    const res = await postForm(s.agent, `/sections/${graded.id}/enrolments/${s.row.id}/delete`, { term });
    const message = `You already have a grade in ${course.code} Graded course: a graded course can no longer be dropped.`;
    expect(res.status).toBe(409);
    expect(res.text).not.toContain('error-page');
    expect(formError(res)).toBe(message);
    const row = rowOf(res.text, `<tr data-section-id="${graded.id}"`);
    expect(row).toContain(
      `<p class="field-error refusal" id="refusal-${graded.id}" data-refusal="section-${graded.id}">${message}</p>`,
    );
    expect(await writes()).toEqual(before);
    expect(await seatCounts(t.db, graded.id)).toEqual({ counter: 1, enrolled: 1 });

    const json = await dropJson(s.agent, s.token, graded.id, s.row.id);
    expect(json.status).toBe(409);
    expect(json.body.error).toMatchObject({ code: 'enrolment_graded', message });
    expect(await writes()).toEqual(before);
  });

  it('the staff roster offers no Drop for a graded seat; a drop is refused in its row, about the student', async () => {
    const { s, course, graded } = await gradedStudent();
    const other = await createStudent(t.db);
    await insertEnrolment(t.db, graded.id, other.id);
    const page = (await staff.get(`/sections/${graded.id}`).set('Accept', 'text/html')).text;
    const gradedLine = rowOf(page, `<tr data-student-no="${s.row.student_no}"`);
    expect(gradedLine).toContain('Graded: cannot be dropped');
    expect(gradedLine).not.toContain('/delete"');
    expect(rowOf(page, `<tr data-student-no="${other.student_no}"`)).toContain(
      `/sections/${graded.id}/enrolments/${other.id}/delete`,
    );

    const before = await writes();
    const res = await postForm(staff, `/sections/${graded.id}/enrolments/${s.row.id}/delete`, {});
    const message = `This student already has a grade in ${course.code} Graded course: a graded course can no longer be dropped.`;
    expect(res.status).toBe(409);
    expect(res.text).toContain('data-roster');
    expect(formError(res)).toBe(message);
    expect(rowOf(res.text, `<tr data-student-no="${s.row.student_no}"`)).toContain(
      `<p class="field-error refusal" id="drop-refusal-${s.row.id}" data-refusal="drop-${s.row.id}">${message}</p>`,
    );
    expect(await writes()).toEqual(before);

    // JSON answers as it does for anyone: the code, the message of the rule.
    const json = await dropJson(staff, await tokenFor(staff), graded.id, s.row.id);
    expect(json.status).toBe(409);
    expect(json.body.error.code).toBe('enrolment_graded');
    expect(await writes()).toEqual(before);
  });

  it('a grade cell left empty is no grade: that place can be dropped', async () => {
    const section = await createSection(t.db);
    const s = await signedInStudent(t.app, t.db);
    const seat = await insertEnrolment(t.db, section.id, s.row.id);
    await insertGrade(t.db, seat.id, { score: null });
    const res = await dropJson(s.agent, s.token, section.id, s.row.id);
    expect(res.status).toBe(200);
    expect(res.body.data.status).toBe('dropped');
  });
});
