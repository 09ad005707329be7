// The staff section page as staff use it: who is enrolled and who waits, enrolling by student number,
// dropping from the roster, and the printable class roster.
import request from 'supertest';
import {
  createClass,
  createCourse,
  createSection,
  createStaff,
  createStudent,
  createTerm,
  createUser,
  insertEnrolment,
} from '../helpers/factories';
import { enrolJson, seatCounts, signedInStudent, tokenFor } from '../helpers/selection';
import { type Agent, postForm, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

describe('the staff section page and its roster', () => {
  let t: TestApp;
  let staff: Agent;
  let staffToken: string;

  beforeAll(async () => {
    t = await buildTestApp();
    staff = await signIn(t.app, await createUser(t.db, 'staff'));
    staffToken = await tokenFor(staff);
  });
  afterAll(() => t.close());

  const page = async (agent: Agent, path: string) => agent.get(path).set('Accept', 'text/html');
  const enrolment = (sectionId: number, studentId: number) =>
    t.db('enrolments').where({ section_id: sectionId, student_id: studentId }).first();

  describe('the roster on the section page', () => {
    it('says what to do when nobody is enrolled', async () => {
      const section = await createSection(t.db);
      const res = await page(staff, `/sections/${section.id}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('data-roster-empty');
      expect(res.text).toContain('Enrol a student or a whole class below.');
    });

    it('lists the seats with number, name, class and status, and the waiting list in order', async () => {
      const section = await createSection(t.db, { capacity: 1 });
      const cls = await createClass(t.db);
      const seated = await createStudent(t.db, { class_id: cls.id, status: 'suspended' });
      const second = await createStudent(t.db);
      const first = await createStudent(t.db);
      await insertEnrolment(t.db, section.id, seated.id, 'enrolled');
      await insertEnrolment(t.db, section.id, first.id, 'waitlisted');
      await insertEnrolment(t.db, section.id, second.id, 'waitlisted');
      const gone = await createStudent(t.db);
      await insertEnrolment(t.db, section.id, gone.id, 'dropped');

      const html = (await page(staff, `/sections/${section.id}`)).text;
      expect(html).not.toContain('data-roster-empty');
      const enrolled = html.slice(html.indexOf('data-roster-enrolled'), html.indexOf('data-roster-waiting'));
      expect(enrolled).toContain(seated.student_no);
      expect(enrolled).toContain(seated.name);
      const { code: classCode } = await t.db('classes').where({ id: cls.id }).first('code');
      expect(enrolled).toContain(`<td>${classCode}</td>`);
      expect(enrolled).toContain('Suspended');
      expect(enrolled).toContain(`/sections/${section.id}/enrolments/${seated.id}/delete`);
      expect(enrolled).toContain('data-confirm="Drop ');
      const waiting = html.slice(html.indexOf('data-roster-waiting'));
      expect(waiting.indexOf(first.student_no)).toBeGreaterThan(-1);
      expect(waiting.indexOf(first.student_no)).toBeLessThan(waiting.indexOf(second.student_no));
      expect(waiting).toContain('Remove from waiting list');
      expect(html).toContain('Waiting list (2)');
      expect(html).not.toContain(gone.student_no);
    });

    it('drops from the roster back to the section page, naming the student; the first waiter gets the seat', async () => {
      const course = await createCourse(t.db, { code: 'ROST101', name: 'Roster course' });
      const section = await createSection(t.db, { courseId: course.id, capacity: 1 });
      const seated = await createStudent(t.db);
      const waiter = await createStudent(t.db);
      await insertEnrolment(t.db, section.id, seated.id, 'enrolled');
      await insertEnrolment(t.db, section.id, waiter.id, 'waitlisted');

      const res = await postForm(staff, `/sections/${section.id}/enrolments/${seated.id}/delete`, {});
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(`/sections/${section.id}`);
      const after = (await page(staff, `/sections/${section.id}`)).text;
      expect(after).toContain(`${seated.name} (${seated.student_no}) was dropped from ROST101 Roster course.`);
      expect((await enrolment(section.id, waiter.id)).status).toBe('enrolled');
      expect(after).not.toContain('data-roster-waiting');
    });
  });

  describe('enrolling by student number', () => {
    it('enrols the student the number names and comes back to the section page', async () => {
      const course = await createCourse(t.db, { code: 'NUM101', name: 'Numbers' });
      const section = await createSection(t.db, { courseId: course.id });
      const target = await createStudent(t.db);
      const res = await postForm(staff, `/sections/${section.id}/enrolments`, { student_no: ` ${target.student_no} ` });
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(`/sections/${section.id}`);
      const html = (await page(staff, `/sections/${section.id}`)).text;
      expect(html).toContain(`${target.name} (${target.student_no}) is enrolled in NUM101 Numbers.`);
      expect(html.slice(html.indexOf('data-roster-enrolled'))).toContain(target.student_no);
      expect((await enrolment(section.id, target.id)).status).toBe('enrolled');
    });

    it('answers an unknown number with 422 on the section page, the field marked and the value kept', async () => {
      const section = await createSection(t.db);
      const res = await postForm(staff, `/sections/${section.id}/enrolments`, { student_no: 'NOPE-404' });
      expect(res.status).toBe(422);
      expect(res.text).toContain('data-roster'); // the section page, not an error page
      expect(res.text).toContain('No student has this student number.');
      expect(res.text).toMatch(/id="enrol-student"[^>]*value="NOPE-404"/);
      expect(res.text).toMatch(/aria-describedby="enrol-student-hint enrol-student-error"\s*aria-invalid="true"/);
      expect(res.text).toContain('id="enrol-student-error"');
      expect(await seatCounts(t.db, section.id)).toEqual({ counter: 0, enrolled: 0 });
    });

    it('answers JSON with a student_no field error, and still takes student_id', async () => {
      const section = await createSection(t.db);
      const unknown = await enrolJson(staff, staffToken, section.id, { student_no: 'NOPE-405' });
      expect(unknown.status).toBe(422);
      expect(unknown.body.error.fields).toEqual({
        student_no: "No student has this student number. Check the number on the student's record.",
      });
      const byNumber = await createStudent(t.db);
      const byId = await createStudent(t.db);
      expect((await enrolJson(staff, staffToken, section.id, { student_no: byNumber.student_no })).status).toBe(201);
      const res = await enrolJson(staff, staffToken, section.id, { student_id: byId.id });
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({ student_id: byId.id, status: 'enrolled' });
      expect(await seatCounts(t.db, section.id)).toEqual({ counter: 2, enrolled: 2 });
    });

    it('shows a refusal (already enrolled) on the section page with 409', async () => {
      const section = await createSection(t.db);
      const target = await createStudent(t.db);
      await insertEnrolment(t.db, section.id, target.id, 'enrolled');
      const res = await postForm(staff, `/sections/${section.id}/enrolments`, { student_no: target.student_no });
      expect(res.status).toBe(409);
      expect(res.text).toContain('data-form-error');
      expect(res.text).toContain(
        'data-refusal="enrol-student">This student is already enrolled in this section or on its waiting list.</p>',
      );
      expect(res.text).toContain('data-roster-enrolled');
    });

    it('words a refusal about the student, not "your timetable"; JSON keeps its message', async () => {
      const term = await createTerm(t.db);
      const meetings = [{ day_of_week: 4, start_period: 3, end_period: 4 }];
      const held = await createCourse(t.db, { code: 'CLSH101', name: '冲突课程', name_en: 'Clashing course' });
      const first = await createSection(t.db, { termId: term.id, courseId: held.id, meetings });
      const section = await createSection(t.db, { termId: term.id, meetings });
      const target = await createStudent(t.db);
      await insertEnrolment(t.db, first.id, target.id, 'enrolled');
      const audits = async () => (await t.db('audit_log').where({ entity: 'enrolment' })).length;
      const before = await audits();

      const res = await postForm(staff, `/sections/${section.id}/enrolments`, { student_no: target.student_no });
      const message = 'This section clashes with their timetable: CLSH101 Clashing course meets at the same time.';
      expect(res.status).toBe(409);
      expect(/data-form-error>([^<]*)</.exec(res.text)![1]).toBe(message);
      expect(res.text).toContain(
        `<p class="field-error refusal" id="enrol-student-refusal" data-refusal="enrol-student">${message}</p>`,
      );
      expect(res.text).not.toContain('your timetable');

      const zh = await postForm(staff, `/sections/${section.id}/enrolments?lang=zh-CN`, {
        student_no: target.student_no,
      });
      expect(zh.status).toBe(409);
      expect(zh.text).toContain(
        'data-refusal="enrol-student">该教学班与该学生课表上的 CLSH101 冲突课程 时间冲突。</p>',
      );
      expect(/data-form-error>([^<]*)</.exec(zh.text)![1]).toBe('该教学班与该学生课表上的 CLSH101 冲突课程 时间冲突。');
      await page(staff, `/sections/${section.id}?lang=en`); // the language sticks: back to English

      const json = await enrolJson(staff, staffToken, section.id, { student_no: target.student_no });
      expect(json.status).toBe(409);
      expect(json.body.error.message).toBe('This section clashes on your timetable with CLSH101 Clashing course.');
      expect(await enrolment(section.id, target.id)).toBeUndefined();
      expect(await seatCounts(t.db, section.id)).toEqual({ counter: 0, enrolled: 0 });
      expect(await audits()).toBe(before);
    });

    it('keeps the class chosen when a class enrolment is refused', async () => {
      const section = await createSection(t.db);
      const empty = await createClass(t.db);
      const res = await postForm(staff, `/sections/${section.id}/enrolments`, { class_id: String(empty.id) });
      expect(res.status).toBe(422);
      expect(res.text).toContain('This class has no students.');
      expect(res.text).toMatch(new RegExp(`<option value="${empty.id}" selected>`));
    });

    it('a student cannot use a student number to enrol someone else', async () => {
      const section = await createSection(t.db);
      const other = await createStudent(t.db);
      const s = await signedInStudent(t.app, t.db);
      const res = await enrolJson(s.agent, s.token, section.id, { student_no: other.student_no });
      expect(res.status).toBe(403);
      expect(await enrolment(section.id, other.id)).toBeUndefined();
    });
  });

  describe('enrolling a whole class', () => {
    it('lists the students it refused under the class form, one line each: name, number, reason', async () => {
      const term = await createTerm(t.db);
      const meetings = [{ day_of_week: 5, start_period: 1, end_period: 2 }];
      const busyCourse = await createCourse(t.db, { code: 'BUSY101', name: '忙碌课程', name_en: 'Busy course' });
      const busy = await createSection(t.db, { termId: term.id, courseId: busyCourse.id, meetings });
      const course = await createCourse(t.db, { code: 'CLS101', name: 'Class course' });
      const section = await createSection(t.db, { termId: term.id, courseId: course.id, meetings });
      const cls = await createClass(t.db);
      const free = await createStudent(t.db, { class_id: cls.id, name: 'Free Student' });
      const clashing = await createStudent(t.db, { class_id: cls.id, name: 'Clash Student' });
      const placed = await createStudent(t.db, { class_id: cls.id, name: 'Placed Student' });
      const away = await createStudent(t.db, { class_id: cls.id, name: 'Away Student', status: 'suspended' });
      await insertEnrolment(t.db, busy.id, clashing.id);
      await insertEnrolment(t.db, section.id, placed.id);

      const res = await postForm(staff, `/sections/${section.id}/enrolments`, { class_id: String(cls.id) });
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(`/sections/${section.id}`);
      const html = (await page(staff, `/sections/${section.id}`)).text;
      expect(html).toContain('Class enrolment in CLS101 Class course: 1 enrolled, 0 on the waiting list, 3 refused.');
      const list = html.slice(
        html.indexOf('data-class-refused'),
        html.indexOf('</section>', html.indexOf('data-class-refused')),
      );
      expect(list).toContain('Not enrolled (3)');
      const items = [...list.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1]);
      expect(items).toHaveLength(3);
      expect(items).toEqual(
        expect.arrayContaining([
          `Clash Student (${clashing.student_no}): This section clashes with their timetable: BUSY101 Busy course meets at the same time.`,
          `Placed Student (${placed.student_no}): This student is already enrolled in this section or on its waiting list.`,
          `Away Student (${away.student_no}): Only students in study can be enrolled: this student&#39;s record is marked &#34;Suspended&#34;.`,
        ]),
      );
      // The list sits in the enrolment card, after the class form.
      expect(html.indexOf('data-class-refused')).toBeGreaterThan(html.indexOf('id="enrol-class"'));
      // Shown once: the next page has neither the message nor the list.
      expect((await page(staff, `/sections/${section.id}`)).text).not.toContain('data-class-refused');

      expect((await enrolment(section.id, free.id)).status).toBe('enrolled');
      for (const refused of [clashing, away]) expect(await enrolment(section.id, refused.id)).toBeUndefined();
      expect(await seatCounts(t.db, section.id)).toEqual({ counter: 2, enrolled: 2 });
    });

    it('in Chinese, each line in Chinese punctuation', async () => {
      const section = await createSection(t.db);
      const cls = await createClass(t.db);
      const placed = await createStudent(t.db, { class_id: cls.id, name: '王已选' });
      await insertEnrolment(t.db, section.id, placed.id);
      const res = await postForm(staff, `/sections/${section.id}/enrolments?lang=zh-CN`, { class_id: String(cls.id) });
      expect(res.status).toBe(302);
      const html = (await page(staff, `/sections/${section.id}`)).text;
      expect(html).toContain(`<li>王已选（${placed.student_no}）：该学生已选上该教学班或已在其候补名单中。</li>`);
      expect(html).toContain('未能选课的学生（1 人）');
      await page(staff, `/sections/${section.id}?lang=en`); // the language sticks: back to English
    });
  });

  describe('the printable roster', () => {
    it('lists the enrolled students with blank signature and attendance columns and a print button', async () => {
      const teacher = await createStaff(t.db, { name: 'Prof. Wang' });
      const course = await createCourse(t.db, { code: 'PRT101', name: 'Printing' });
      const section = await createSection(t.db, {
        courseId: course.id,
        teacherStaffId: teacher.id,
        room: 'B-204',
        meetings: [{ day_of_week: 2, start_period: 3, end_period: 4 }],
      });
      const cls = await createClass(t.db);
      const a = await createStudent(t.db, { class_id: cls.id });
      const waiter = await createStudent(t.db);
      await insertEnrolment(t.db, section.id, a.id, 'enrolled');
      await insertEnrolment(t.db, section.id, waiter.id, 'waitlisted');

      const res = await page(staff, `/sections/${section.id}/roster`);
      expect(res.status).toBe(200);
      for (const text of ['Class roster', 'PRT101 Printing', 'Prof. Wang', 'B-204', 'Tue periods 3-4', 'Signature'])
        expect(res.text).toContain(text);
      expect(res.text).toContain('Attendance');
      expect(res.text).toContain(a.student_no);
      expect(res.text).not.toContain(waiter.student_no);
      expect(res.text).toContain('data-print');
      expect(res.text).toContain('<thead>');
      expect(res.text).not.toMatch(/<script(?![^>]*src=)/); // no inline script
    });

    it('answers JSON with the section and its students', async () => {
      const section = await createSection(t.db);
      const a = await createStudent(t.db);
      await insertEnrolment(t.db, section.id, a.id, 'enrolled');
      const res = await staff.get(`/sections/${section.id}/roster`).set('Accept', 'application/json');
      expect(res.status).toBe(200);
      expect(res.body.data.section).toMatchObject({ id: section.id, enrolled: 1 });
      expect(res.body.data.students).toEqual([
        expect.objectContaining({ student_id: a.id, student_no: a.student_no, name: a.name, status: 'enrolled' }),
      ]);
    });

    it('is for staff: a student gets 403, an anonymous visitor goes to /login, an unknown section is 404', async () => {
      const section = await createSection(t.db);
      const s = await signedInStudent(t.app, t.db);
      expect((await page(s.agent, `/sections/${section.id}/roster`)).status).toBe(403);
      const json = await s.agent.get(`/sections/${section.id}/roster`).set('Accept', 'application/json');
      expect(json.status).toBe(403);
      const anonymous = await request(t.app).get(`/sections/${section.id}/roster`).set('Accept', 'text/html');
      expect(anonymous.status).toBe(302);
      expect(anonymous.headers.location).toBe('/login');
      expect((await page(staff, '/sections/99999999/roster')).status).toBe(404);
    });
  });
});
