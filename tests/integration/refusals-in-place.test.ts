// A refused action answers with the page it was taken on, never a bare error page: the student's list
// (same term, search and order) with the message in the row of the section chosen, the staff section
// page with the message under the button or in the roster row, a summary alert at the top, the status
// of the refusal, and nothing written. JSON clients keep the error answer they always had.
import type { Response } from 'supertest';
import {
  createCourse,
  createSection,
  createStudent,
  createTerm,
  createUser,
  insertEnrolment,
} from '../helpers/factories';
import { enrolJson, seatCounts, signedInStudent } from '../helpers/selection';
import { type Agent, postForm, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

const HOUR = 3_600_000;

describe('refusals shown in place', () => {
  let t: TestApp;
  let staff: Agent;
  let admin: Agent;

  beforeAll(async () => {
    t = await buildTestApp();
    staff = await signIn(t.app, await createUser(t.db, 'staff'));
    admin = await signIn(t.app, await createUser(t.db, 'admin'));
  });
  afterAll(() => t.close());

  const writes = async () => ({
    enrolments: await t.db('enrolments').orderBy('id').select('id', 'status', 'section_id', 'student_id'),
    audits: Number(((await t.db('audit_log').count({ n: '*' }).first()) as { n: number | string }).n),
  });

  /** The row of a section in the sections list. */
  const rowOf = (html: string, sectionId: number) => {
    const start = html.indexOf(`<tr data-section-id="${sectionId}"`);
    return start === -1 ? '' : html.slice(start, html.indexOf('</tr>', start));
  };

  /** What a refused form post answers: this page (not the error page), a summary alert at the top. */
  function expectPageAgain(res: Response, status: number, message: string) {
    expect(res.status).toBe(status);
    expect(res.text).not.toContain('error-page');
    expect(res.text).toMatch(/<div class="flash flash-error" role="alert" data-form-error>([^<]*)<\/div>/);
    expect(/data-form-error>([^<]*)</.exec(res.text)![1]).toBe(message);
  }

  /** The message beside its cause, the control described by it (where the page still offers one). */
  function expectBeside(html: string, at: string, id: string, message: string, control = true) {
    expect(html).toContain(`<p class="field-error refusal" id="${id}" data-refusal="${at}">${message}</p>`);
    if (control) expect(html).toContain(`aria-describedby="${id}"`);
  }

  /** Two sections of a course named for the search, meeting at the same time, in a term with the window open. */
  async function clashingPair() {
    const term = await createTerm(t.db, {
      selection_opens_at: new Date(Date.now() - HOUR),
      selection_closes_at: new Date(Date.now() + HOUR),
    });
    const meetings = [{ day_of_week: 2, start_period: 1, end_period: 2 }];
    const first = await createCourse(t.db, { code: `RFA${term.id}`, name: 'Refusal algebra' });
    const second = await createCourse(t.db, { code: `RFB${term.id}`, name: 'Refusal biology' });
    const held = await createSection(t.db, { termId: term.id, courseId: first.id, meetings });
    const wanted = await createSection(t.db, { termId: term.id, courseId: second.id, meetings });
    return { term, held, wanted, first };
  }

  describe('a student on the sections list', () => {
    it('choosing a clashing section: 409, the same list (term, search, order), the message in its row', async () => {
      const { term, held, wanted, first } = await clashingPair();
      const s = await signedInStudent(t.app, t.db);
      await insertEnrolment(t.db, held.id, s.row.id);
      const list = `/sections?term=${term.code}&q=Refusal&sort=course_code&dir=desc`;
      const page = await s.agent.get(list).set('Accept', 'text/html');
      // The row's form carries the list it is on.
      const form = rowOf(page.text, wanted.id);
      for (const [name, value] of [
        ['term', term.code],
        ['q', 'Refusal'],
        ['sort', 'course_code'],
        ['dir', 'desc'],
      ])
        expect(form).toContain(`<input type="hidden" name="${name}" value="${value}">`);
      const before = await writes();

      const res = await postForm(s.agent, `/sections/${wanted.id}/enrolments`, {
        term: term.code,
        q: 'Refusal',
        sort: 'course_code',
        dir: 'desc',
      });
      const message = `This section clashes on your timetable with ${first.code} Refusal algebra.`;
      expectPageAgain(res, 409, message);
      expect(res.text).toMatch(new RegExp(`<option value="${term.code}" selected>`));
      expect(res.text).toContain('value="Refusal"');
      // Still in the order asked for: the second course first.
      expect(res.text.indexOf(`data-section-id="${wanted.id}"`)).toBeLessThan(
        res.text.indexOf(`data-section-id="${held.id}"`),
      );
      const row = rowOf(res.text, wanted.id);
      expectBeside(row, `section-${wanted.id}`, `refusal-${wanted.id}`, message);
      expect(rowOf(res.text, held.id)).not.toContain('data-refusal');
      expect(await writes()).toEqual(before);
      expect(await seatCounts(t.db, wanted.id)).toEqual({ counter: 0, enrolled: 0 });
    });

    it('keeps answering JSON clients with the error they always had', async () => {
      const { held, wanted, first } = await clashingPair();
      const s = await signedInStudent(t.app, t.db);
      await insertEnrolment(t.db, held.id, s.row.id);
      const res = await enrolJson(s.agent, s.token, wanted.id, { term: 'ignored' });
      expect(res.status).toBe(409);
      expect(Object.keys(res.body.error).sort()).toEqual(['clash', 'code', 'message', 'requestId']);
      expect(res.body.error).toMatchObject({
        code: 'timetable_clash',
        message: `This section clashes on your timetable with ${first.code} Refusal algebra.`,
      });
    });

    it('choosing a closed section: 409 in its row, the term shown that of the section', async () => {
      const term = await createTerm(t.db);
      const closed = await createSection(t.db, { termId: term.id, status: 'closed' });
      const s = await signedInStudent(t.app, t.db);
      const before = await writes();
      // An older form that does not say which list it was on: the section's own term is shown.
      const res = await postForm(s.agent, `/sections/${closed.id}/enrolments`, {});
      expectPageAgain(res, 409, 'This section is closed to enrolment.');
      expect(res.text).toMatch(new RegExp(`<option value="${term.code}" selected>`));
      // A closed section offers no Select button: the message stands in the row alone.
      const row = rowOf(res.text, closed.id);
      expectBeside(row, `section-${closed.id}`, `refusal-${closed.id}`, 'This section is closed to enrolment.', false);
      expect(row).not.toContain('<button');
      expect(await writes()).toEqual(before);
    });

    it('dropping outside the selection window: 422 in the row, the place kept', async () => {
      const term = await createTerm(t.db, {
        selection_opens_at: new Date(Date.now() - 3 * HOUR),
        selection_closes_at: new Date(Date.now() - HOUR),
      });
      const section = await createSection(t.db, { termId: term.id });
      const s = await signedInStudent(t.app, t.db);
      await insertEnrolment(t.db, section.id, s.row.id);
      const before = await writes();
      const res = await postForm(s.agent, `/sections/${section.id}/enrolments/${s.row.id}/delete`, {
        term: term.code,
      });
      expectPageAgain(res, 422, 'Course selection is closed for this term.');
      const row = rowOf(res.text, section.id);
      expect(row).toContain('data-refusal');
      expect(row).toContain('<p class="field-error refusal" id="refusal-');
      expect(row).toContain('Course selection is closed for this term.');
      expect(await writes()).toEqual(before);
      expect(await seatCounts(t.db, section.id)).toEqual({ counter: 1, enrolled: 1 });
    });

    it('coming back to the same list after a choice that is taken', async () => {
      const { term, wanted } = await clashingPair();
      const s = await signedInStudent(t.app, t.db);
      // Page 2 of a list one section long: its row's form says so.
      const list = await s.agent.get(`/sections?term=${term.code}&q=Refusal&size=1&page=2`).set('Accept', 'text/html');
      const form = rowOf(list.text, wanted.id);
      expect(form).toContain('<input type="hidden" name="page" value="2">');
      expect(form).toContain('<input type="hidden" name="size" value="1">');
      const res = await postForm(s.agent, `/sections/${wanted.id}/enrolments`, {
        term: term.code,
        q: 'Refusal',
        size: '1',
        page: '2',
      });
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(`/sections?term=${encodeURIComponent(term.code)}&q=Refusal&size=1&page=2`);
    });
  });

  describe('staff on the section page', () => {
    it('archiving a section that has students: 409, the section page, the message under Archive', async () => {
      const section = await createSection(t.db);
      await insertEnrolment(t.db, section.id, (await createStudent(t.db)).id);
      const before = await writes();
      const res = await postForm(staff, `/sections/${section.id}/delete`, {});
      const message = 'Students are enrolled in this section. Drop them before archiving it.';
      expect(await t.db('sections').where({ id: section.id }).first('deleted_at')).toEqual({ deleted_at: null });
      expect(res.text).toContain('data-roster');
      expectPageAgain(res, 409, message);
      expectBeside(res.text, 'archive', 'archive-refusal', message);
      expect(await writes()).toEqual(before);
    });

    it('restoring a section of an archived course: 409, the message under Restore', async () => {
      const course = await createCourse(t.db);
      const section = await createSection(t.db, { courseId: course.id });
      await t.db('sections').where({ id: section.id }).update({ deleted_at: '2026-01-01 00:00:00' });
      await t.db('courses').where({ id: course.id }).update({ deleted_at: '2026-01-01 00:00:00' });
      const before = await writes();
      const res = await postForm(admin, `/sections/${section.id}/restore`, {});
      const message = 'The course of this section is archived. Restore the course first.';
      expectPageAgain(res, 409, message);
      expectBeside(res.text, 'restore', 'restore-refusal', message);
      expect((await t.db('sections').where({ id: section.id }).first('deleted_at')).deleted_at).not.toBeNull();
      expect(await writes()).toEqual(before);
    });

    it('enrolling a student into a closed section: 409, the message under the enrol button', async () => {
      const section = await createSection(t.db, { status: 'closed' });
      const target = await createStudent(t.db);
      const before = await writes();
      const res = await postForm(staff, `/sections/${section.id}/enrolments`, { student_no: target.student_no });
      expectPageAgain(res, 409, 'This section is closed to enrolment.');
      expectBeside(res.text, 'enrol-student', 'enrol-student-refusal', 'This section is closed to enrolment.');
      expect(res.text).toMatch(new RegExp(`id="enrol-student"[^>]*value="${target.student_no}"`));
      expect(await writes()).toEqual(before);
    });
  });
});
