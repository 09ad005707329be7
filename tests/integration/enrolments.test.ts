// Course selection as students and staff see it: seats, the waiting list, the window, clashes, drops.
import type { AuditRow } from '../../src/audit/audit.repository';
import type { EnrolmentsService } from '../../src/enrolments/enrolments.service';
import { buildServices } from '../../src/features';
import { UsersRepository } from '../../src/users/users.repository';
import { AuditRepository } from '../../src/audit/audit.repository';
import {
  createClass,
  createCourse,
  createSection,
  createStudent,
  createTerm,
  createUser,
  freeTerm,
  insertEnrolment,
  type TestUser,
} from '../helpers/factories';
import { dropJson, enrolJson, seatCounts, signedInStudent, tokenFor } from '../helpers/selection';
import { type Agent, csrfToken, postForm, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';
import { utcToWallTime } from '../../src/lib/time';
import { sqlNow } from '../../src/lib/time';
import request from 'supertest';

const HOUR_MS = 60 * 60 * 1000;

describe('course selection', () => {
  let t: TestApp;
  let staffUser: TestUser;
  let staff: Agent;
  let staffToken: string;
  let service: EnrolmentsService;

  beforeAll(async () => {
    t = await buildTestApp();
    staffUser = await createUser(t.db, 'staff');
    staff = await signIn(t.app, staffUser);
    staffToken = await tokenFor(staff);
    service = buildServices({ config: t.config, db: t.db, users: new UsersRepository(t.db) }).enrolments;
  });
  afterAll(() => t.close());

  const student = () => signedInStudent(t.app, t.db);
  const enrolment = (sectionId: number, studentId: number) =>
    t.db('enrolments').where({ section_id: sectionId, student_id: studentId }).first();
  const audits = (action?: string): Promise<AuditRow[]> =>
    t
      .db<AuditRow>('audit_log')
      .where({ entity: 'enrolment' })
      .modify((q) => {
        if (action) q.where({ action });
      })
      .orderBy('id');
  const auditsOf = async (enrolmentId: number) =>
    (await audits()).filter((a) => a.entity_id === String(enrolmentId)).map((a) => a.action);

  /** A flash shows once, on the next page the user opens. */
  const nextFlash = async (agent: Agent) => (await agent.get('/account/password').set('Accept', 'text/html')).text;

  describe('enrolling', () => {
    it('takes a seat: 201 with the enrolment, the counter moves and one audit row is written', async () => {
      const section = await createSection(t.db, { capacity: 5 });
      const s = await student();
      const res = await enrolJson(s.agent, s.token, section.id);
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({
        section_id: section.id,
        student_id: s.row.id,
        status: 'enrolled',
        waitlist_position: null,
        window_override: false,
      });
      expect(await seatCounts(t.db, section.id)).toEqual({ counter: 1, enrolled: 1 });
      const rows = (await audits('enrol')).filter((a) => a.entity_id === String(res.body.data.id));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actor_id: s.user.id, request_id: res.headers['x-request-id'] });
    });

    it('from the HTML form redirects to the term page and says so', async () => {
      const course = await createCourse(t.db, { code: 'HTML101', name: 'Web pages' });
      const section = await createSection(t.db, { courseId: course.id });
      const s = await student();
      const res = await postForm(s.agent, `/sections/${section.id}/enrolments`, {});
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(`/sections?term=${section.termId}`);
      expect(await nextFlash(s.agent)).toContain('You are enrolled in HTML101 Web pages.');
      expect((await enrolment(section.id, s.row.id)).status).toBe('enrolled');
    });

    it('refuses a second enrolment with 409 "already enrolled" and writes nothing', async () => {
      const section = await createSection(t.db);
      const s = await student();
      expect((await enrolJson(s.agent, s.token, section.id)).status).toBe(201);
      const auditBefore = (await audits()).length;
      const res = await enrolJson(s.agent, s.token, section.id);
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({
        code: 'already_enrolled',
        message: 'You are already enrolled in this section or on its waiting list.',
      });
      expect(await seatCounts(t.db, section.id)).toEqual({ counter: 1, enrolled: 1 });
      expect((await audits()).length).toBe(auditBefore);
    });

    it('refuses a student already on the waiting list as already enrolled', async () => {
      const section = await createSection(t.db, { capacity: 0 });
      const s = await student();
      expect((await enrolJson(s.agent, s.token, section.id)).status).toBe(409);
      const res = await enrolJson(s.agent, s.token, section.id);
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'already_enrolled', status: 'waitlisted' });
    });

    it('gives a full section a waiting-list place: 409 section_full with the position, in order', async () => {
      const course = await createCourse(t.db, { code: 'FULL1', name: 'Popular' });
      const section = await createSection(t.db, { courseId: course.id, capacity: 1 });
      const [a, b, c] = [await student(), await student(), await student()];
      expect((await enrolJson(a.agent, a.token, section.id)).status).toBe(201);

      const second = await enrolJson(b.agent, b.token, section.id);
      expect(second.status).toBe(409);
      expect(second.body.error).toMatchObject({
        code: 'section_full',
        message: 'FULL1 Popular is full. You are number 1 on its waiting list.',
        waitlist: { position: 1 },
      });
      const third = await enrolJson(c.agent, c.token, section.id);
      expect(third.body.error.waitlist).toEqual({ position: 2 });

      expect(await seatCounts(t.db, section.id)).toEqual({ counter: 1, enrolled: 1 });
      const waiting = await t
        .db('enrolments')
        .where({ section_id: section.id, status: 'waitlisted' })
        .orderBy('waitlist_seq');
      expect(waiting.map((w) => w.student_id)).toEqual([b.row.id, c.row.id]);
      expect((await audits('waitlist')).filter((w) => waiting.some((r) => String(r.id) === w.entity_id))).toHaveLength(
        2,
      );
    });

    it('answers a full section in HTML with a redirect and a flash naming the position', async () => {
      const section = await createSection(t.db, { capacity: 0 });
      const s = await student();
      const res = await postForm(s.agent, `/sections/${section.id}/enrolments`, {});
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(`/sections?term=${section.termId}`);
      expect(await nextFlash(s.agent)).toMatch(/is full\. You are number 1 on its waiting list\./);
    });

    it('speaks Chinese when asked', async () => {
      const section = await createSection(t.db, { capacity: 0 });
      const s = await student();
      const res = await enrolJson(s.agent, s.token, section.id, {}, { 'Accept-Language': 'zh-CN' });
      expect(res.body.error.message).toMatch(/已满，您在候补名单中排第 1 位。$/);
    });

    it('refuses a closed section with 409', async () => {
      const section = await createSection(t.db, { status: 'closed' });
      const s = await student();
      const res = await enrolJson(s.agent, s.token, section.id);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('section_closed');
      expect(await enrolment(section.id, s.row.id)).toBeUndefined();
    });

    it('answers an unknown section with 404', async () => {
      const s = await student();
      expect((await enrolJson(s.agent, s.token, 99999999)).status).toBe(404);
      expect((await enrolJson(s.agent, s.token, 0)).status).toBe(404);
    });

    it('lets a dropped student enrol again on the same row', async () => {
      const section = await createSection(t.db);
      const s = await student();
      const first = await enrolJson(s.agent, s.token, section.id);
      expect((await dropJson(s.agent, s.token, section.id, s.row.id)).status).toBe(200);
      const again = await enrolJson(s.agent, s.token, section.id);
      expect(again.status).toBe(201);
      expect(again.body.data.id).toBe(first.body.data.id);
      expect(again.body.data.status).toBe('enrolled');
      expect(await seatCounts(t.db, section.id)).toEqual({ counter: 1, enrolled: 1 });
    });

    it('replays a repeated request with the same Idempotency-Key and writes nothing twice', async () => {
      const section = await createSection(t.db);
      const s = await student();
      const key = { 'Idempotency-Key': `enrol-${section.id}-${s.row.id}` };
      const first = await enrolJson(s.agent, s.token, section.id, {}, key);
      const again = await enrolJson(s.agent, s.token, section.id, {}, key);
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await auditsOf(first.body.data.id)).toEqual(['enrol']);
    });
  });

  describe('the selection window', () => {
    const closedTerm = () =>
      createTerm(t.db, {
        selection_opens_at: new Date(Date.now() - 48 * HOUR_MS),
        selection_closes_at: new Date(Date.now() - HOUR_MS),
      });

    it('refuses a student outside the window with 422 "selection closed" and writes nothing', async () => {
      const term = await closedTerm();
      const section = await createSection(t.db, { termId: term.id });
      const s = await student();
      const res = await enrolJson(s.agent, s.token, section.id);
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({
        code: 'selection_closed',
        message: 'Course selection is closed for this term.',
      });
      expect(await enrolment(section.id, s.row.id)).toBeUndefined();
      expect(await seatCounts(t.db, section.id)).toEqual({ counter: 0, enrolled: 0 });
    });

    it('refuses before the window opens, and when the term has no window', async () => {
      const future = await createTerm(t.db, {
        selection_opens_at: new Date(Date.now() + HOUR_MS),
        selection_closes_at: new Date(Date.now() + 48 * HOUR_MS),
      });
      const none = await createTerm(t.db, { selection_opens_at: null, selection_closes_at: null });
      const s = await student();
      for (const term of [future, none]) {
        const section = await createSection(t.db, { termId: term.id });
        expect((await enrolJson(s.agent, s.token, section.id)).status).toBe(422);
      }
    });

    it('opens the window a registrar typed in Beijing time at that instant', async () => {
      // Around now: the term runs from a month ago to two months ahead, in days as the registry sees them.
      const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 24 * HOUR_MS).toISOString().slice(0, 10);
      const { id: termId } = await createTerm(t.db, { ...freeTerm(), starts_on: day(-30), ends_on: day(60) });
      const term = await t.db('terms').where({ id: termId }).first();
      const beijing = (ms: number) => utcToWallTime(sqlNow(new Date(ms)), 'Asia/Shanghai');
      const opensAt = Date.now() - HOUR_MS;
      // Read as UTC, as the form once was, this window would open seven hours from now.
      const form = {
        code: term.code,
        academic_year: term.academic_year,
        semester: String(term.semester),
        name: term.name,
        starts_on: term.starts_on,
        ends_on: term.ends_on,
        selection_opens_at: beijing(opensAt),
        selection_closes_at: beijing(Date.now() + HOUR_MS + 60_000),
        version: '1',
      };
      expect((await postForm(staff, `/terms/${termId}`, form)).status).toBe(302);
      const saved = await t.db('terms').where({ id: termId }).first();
      expect(saved.selection_opens_at).toBe(`${sqlNow(new Date(opensAt)).slice(0, 16)}:00`);
      expect(Date.parse(`${saved.selection_opens_at.replace(' ', 'T')}Z`)).toBeLessThan(Date.now());
      expect(Date.parse(`${saved.selection_closes_at.replace(' ', 'T')}Z`)).toBeGreaterThan(Date.now());
      const section = await createSection(t.db, { termId });
      const s = await student();
      const res = await enrolJson(s.agent, s.token, section.id);
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({ status: 'enrolled', window_override: false });
    });

    it('lets staff override it: the place records window_override and the audit row carries it', async () => {
      const term = await closedTerm();
      const section = await createSection(t.db, { termId: term.id });
      const target = await createStudent(t.db);
      const res = await enrolJson(staff, staffToken, section.id, { student_id: target.id });
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({ student_id: target.id, status: 'enrolled', window_override: true });
      const [row] = (await audits('enrol')).filter((a) => a.entity_id === String(res.body.data.id));
      expect(row).toMatchObject({ actor_id: staffUser.id, actor_username: staffUser.username });
      expect(Boolean(JSON.parse(row!.after_json!).window_override)).toBe(true);
    });

    it('refuses a student drop outside the window, staff may drop with the override recorded', async () => {
      const term = await closedTerm();
      const section = await createSection(t.db, { termId: term.id });
      const s = await student();
      await insertEnrolment(t.db, section.id, s.row.id);
      expect((await dropJson(s.agent, s.token, section.id, s.row.id)).status).toBe(422);
      expect((await enrolment(section.id, s.row.id)).status).toBe('enrolled');
      const res = await dropJson(staff, staffToken, section.id, s.row.id);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ status: 'dropped', window_override: true });
    });
  });

  describe('timetable clashes', () => {
    it('refuses an overlapping section with 409 naming the clashing course', async () => {
      const term = await createTerm(t.db);
      const algebra = await createCourse(t.db, { code: 'MATH201', name: '线性代数' });
      const a = await createSection(t.db, {
        termId: term.id,
        courseId: algebra.id,
        meetings: [{ day_of_week: 1, start_period: 1, end_period: 2 }],
      });
      const b = await createSection(t.db, {
        termId: term.id,
        meetings: [
          { day_of_week: 3, start_period: 5, end_period: 6 },
          { day_of_week: 1, start_period: 2, end_period: 4 },
        ],
      });
      const s = await student();
      expect((await enrolJson(s.agent, s.token, a.id)).status).toBe(201);
      const res = await enrolJson(s.agent, s.token, b.id);
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({
        code: 'timetable_clash',
        message: 'This section clashes on your timetable with MATH201 线性代数.',
        clash: { course_code: 'MATH201', course_name: '线性代数', course_name_en: null },
      });
      expect(await enrolment(b.id, s.row.id)).toBeUndefined();
      expect(await seatCounts(t.db, b.id)).toEqual({ counter: 0, enrolled: 0 });
    });

    it('names the clashing course by its English name in English and its Chinese name in Chinese', async () => {
      const term = await createTerm(t.db);
      const course = await createCourse(t.db, { code: 'MATH202', name: '概率论', name_en: 'Probability Theory' });
      const a = await createSection(t.db, {
        termId: term.id,
        courseId: course.id,
        meetings: [{ day_of_week: 4, start_period: 1, end_period: 2 }],
      });
      const b = await createSection(t.db, {
        termId: term.id,
        meetings: [{ day_of_week: 4, start_period: 2, end_period: 3 }],
      });
      const s = await student();
      await insertEnrolment(t.db, a.id, s.row.id);
      const en = await enrolJson(s.agent, s.token, b.id, {}, { 'Accept-Language': 'en' });
      expect(en.status).toBe(409);
      expect(en.body.error.message).toBe('This section clashes on your timetable with MATH202 Probability Theory.');
      expect(en.body.error.clash).toEqual({
        course_code: 'MATH202',
        course_name: '概率论',
        course_name_en: 'Probability Theory',
      });
      const zh = await enrolJson(s.agent, s.token, b.id, {}, { 'Accept-Language': 'zh-CN' });
      expect(zh.status).toBe(409);
      expect(zh.body.error.message).toBe('该教学班与您课表上的 MATH202 概率论 时间冲突。');
      expect(await enrolment(b.id, s.row.id)).toBeUndefined();
    });

    it('names the course on the HTML error page too', async () => {
      const term = await createTerm(t.db);
      const course = await createCourse(t.db, { code: 'PHY101', name: 'Mechanics' });
      const a = await createSection(t.db, {
        termId: term.id,
        courseId: course.id,
        meetings: [{ day_of_week: 2, start_period: 3, end_period: 3 }],
      });
      const b = await createSection(t.db, {
        termId: term.id,
        meetings: [{ day_of_week: 2, start_period: 3, end_period: 5 }],
      });
      const s = await student();
      await insertEnrolment(t.db, a.id, s.row.id);
      const res = await postForm(s.agent, `/sections/${b.id}/enrolments`, {});
      expect(res.status).toBe(409);
      expect(res.text).toContain('This section clashes on your timetable with PHY101 Mechanics.');
    });

    it('allows adjacent periods, another day, another term and a dropped or waiting place', async () => {
      const term = await createTerm(t.db);
      const other = await createTerm(t.db);
      const monday12 = [{ day_of_week: 1, start_period: 1, end_period: 2 }];
      const s = await student();
      const taken = await createSection(t.db, { termId: term.id, meetings: monday12 });
      await insertEnrolment(t.db, taken.id, s.row.id);
      const dropped = await createSection(t.db, {
        termId: term.id,
        meetings: [{ day_of_week: 4, start_period: 1, end_period: 2 }],
      });
      await insertEnrolment(t.db, dropped.id, s.row.id, 'dropped');
      const waiting = await createSection(t.db, {
        termId: term.id,
        meetings: [{ day_of_week: 5, start_period: 1, end_period: 2 }],
      });
      await insertEnrolment(t.db, waiting.id, s.row.id, 'waitlisted');
      const fine = [
        await createSection(t.db, { termId: term.id, meetings: [{ day_of_week: 1, start_period: 3, end_period: 4 }] }),
        await createSection(t.db, { termId: term.id, meetings: [{ day_of_week: 2, start_period: 1, end_period: 2 }] }),
        await createSection(t.db, { termId: other.id, meetings: monday12 }),
        await createSection(t.db, { termId: term.id, meetings: [{ day_of_week: 4, start_period: 2, end_period: 3 }] }),
        await createSection(t.db, { termId: term.id, meetings: [{ day_of_week: 5, start_period: 2, end_period: 3 }] }),
      ];
      for (const section of fine) expect((await enrolJson(s.agent, s.token, section.id)).status).toBe(201);
    });
  });

  describe('dropping', () => {
    it('promotes the first waiting student in the same transaction as the drop', async () => {
      const section = await createSection(t.db, { capacity: 1 });
      const [a, b, c] = [await student(), await student(), await student()];
      await enrolJson(a.agent, a.token, section.id);
      await enrolJson(b.agent, b.token, section.id);
      await enrolJson(c.agent, c.token, section.id);

      const res = await dropJson(a.agent, a.token, section.id, a.row.id);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ student_id: a.row.id, status: 'dropped', promoted_student_id: b.row.id });
      expect((await enrolment(section.id, b.row.id)).status).toBe('enrolled');
      expect((await enrolment(section.id, c.row.id)).status).toBe('waitlisted');
      expect(await seatCounts(t.db, section.id)).toEqual({ counter: 1, enrolled: 1 });

      // One request, one transaction: the drop and the promotion carry the same request id.
      const drop = (await audits('drop')).filter((x) => x.request_id === res.headers['x-request-id']);
      const promote = (await audits('promote')).filter((x) => x.request_id === res.headers['x-request-id']);
      expect(drop).toHaveLength(1);
      expect(promote).toHaveLength(1);
      expect(promote[0]!.entity_id).toBe(String((await enrolment(section.id, b.row.id)).id));

      const cView = await service.forStudent(c.row.id, section.termId);
      expect(cView).toEqual([expect.objectContaining({ section_id: section.id, status: 'waitlisted', position: 1 })]);
      const bView = await service.forStudent(b.row.id);
      expect(bView).toEqual([expect.objectContaining({ section_id: section.id, status: 'enrolled', position: null })]);
    });

    it('rolls the drop back when the promotion fails, so no seat is lost', async () => {
      const section = await createSection(t.db, { capacity: 1 });
      const [a, b] = [await student(), await student()];
      await enrolJson(a.agent, a.token, section.id);
      await enrolJson(b.agent, b.token, section.id);
      const failing = new AuditRepository(t.db, 'test-node');
      const record = failing.record.bind(failing);
      failing.record = async (entry, trx) => {
        if (entry.action === 'promote') throw new Error('promotion failed');
        return record(entry, trx);
      };
      const broken = buildServices({
        config: t.config,
        db: t.db,
        users: new UsersRepository(t.db),
        audit: failing,
      }).enrolments;
      const ctx = { actorId: a.user.id, actorUsername: a.user.username, requestId: null };
      await expect(broken.drop(section.id, a.row.id, { role: 'student', studentId: a.row.id }, ctx)).rejects.toThrow(
        'promotion failed',
      );
      expect((await enrolment(section.id, a.row.id)).status).toBe('enrolled');
      expect((await enrolment(section.id, b.row.id)).status).toBe('waitlisted');
      expect(await seatCounts(t.db, section.id)).toEqual({ counter: 1, enrolled: 1 });
    });

    it('removes a waiting place without touching the seats, and the others move up', async () => {
      const section = await createSection(t.db, { capacity: 1 });
      const [a, b, c] = [await student(), await student(), await student()];
      for (const s of [a, b, c]) await enrolJson(s.agent, s.token, section.id);
      const res = await postForm(b.agent, `/sections/${section.id}/enrolments/${b.row.id}/delete`, {});
      expect(res.status).toBe(302);
      expect(await nextFlash(b.agent)).toContain('You left the waiting list of');
      expect((await enrolment(section.id, b.row.id)).status).toBe('dropped');
      expect(await seatCounts(t.db, section.id)).toEqual({ counter: 1, enrolled: 1 });
      expect(await service.forStudent(c.row.id)).toEqual([expect.objectContaining({ position: 1 })]);
    });

    it('answers 404 when there is nothing to drop', async () => {
      const section = await createSection(t.db);
      const s = await student();
      const res = await dropJson(s.agent, s.token, section.id, s.row.id);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_enrolled');
    });
  });

  describe('who may act for whom', () => {
    it('refuses a student enrolling another student with 403, writing nothing', async () => {
      const section = await createSection(t.db);
      const [s, other] = [await student(), await createStudent(t.db)];
      const res = await enrolJson(s.agent, s.token, section.id, { student_id: other.id });
      expect(res.status).toBe(403);
      expect(await enrolment(section.id, other.id)).toBeUndefined();
      expect(await enrolment(section.id, s.row.id)).toBeUndefined();
    });

    it('refuses a student sending another student number with 403, whether or not the number exists', async () => {
      // A 422 "no such number" beside a 403 "not yours" would tell a student which numbers exist.
      const section = await createSection(t.db);
      const [s, other] = [await student(), await createStudent(t.db)];
      const auditBefore = (await audits()).length;
      for (const student_no of [other.student_no, 'NOSUCH0001']) {
        const res = await enrolJson(s.agent, s.token, section.id, { student_no });
        expect(res.status).toBe(403);
        expect(res.body.error.message).toBe('Students may only enrol or drop for themselves.');
      }
      expect(await enrolment(section.id, other.id)).toBeUndefined();
      expect(await enrolment(section.id, s.row.id)).toBeUndefined();
      expect((await audits()).length).toBe(auditBefore);
      // Their own number is theirs to send.
      expect((await enrolJson(s.agent, s.token, section.id, { student_no: s.row.student_no })).status).toBe(201);
    });

    it('refuses a student dropping another student with 403, writing nothing', async () => {
      const section = await createSection(t.db);
      const [s, other] = [await student(), await createStudent(t.db)];
      await insertEnrolment(t.db, section.id, other.id);
      const res = await dropJson(s.agent, s.token, section.id, other.id);
      expect(res.status).toBe(403);
      expect((await enrolment(section.id, other.id)).status).toBe('enrolled');
    });

    it('refuses a student enrolling a class with 403', async () => {
      const section = await createSection(t.db);
      const cls = await createClass(t.db);
      const s = await student();
      expect((await enrolJson(s.agent, s.token, section.id, { class_id: cls.id })).status).toBe(403);
    });

    it('refuses an account without a student record with 403', async () => {
      const section = await createSection(t.db);
      const user = await createUser(t.db, 'student');
      const agent = await signIn(t.app, user);
      const res = await enrolJson(agent, await tokenFor(agent), section.id);
      expect(res.status).toBe(403);
    });

    it('lets staff enrol and drop a named student', async () => {
      const section = await createSection(t.db);
      const target = await createStudent(t.db);

      expect((await enrolJson(staff, staffToken, section.id, { student_id: String(target.id) })).status).toBe(201);
      expect((await dropJson(staff, staffToken, section.id, target.id)).status).toBe(200);
    });

    const routes = (sectionId: number, studentId: number) => [
      `/sections/${sectionId}/enrolments`,
      `/sections/${sectionId}/enrolments/${studentId}/delete`,
    ];

    it('sends an anonymous visitor to /login (HTML) or answers 401 (JSON)', async () => {
      const section = await createSection(t.db);
      const target = await createStudent(t.db);
      for (const path of routes(section.id, target.id)) {
        const agent = request.agent(t.app);
        const token = await csrfToken(agent, '/login');
        const html = await agent.post(path).type('form').set('Accept', 'text/html').send({ _csrf: token });
        expect(html.status).toBe(302);
        expect(html.headers.location).toBe('/login');
        const json = await agent.post(path).set('Accept', 'application/json').set('X-CSRF-Token', token).send({});
        expect(json.status).toBe(401);
        expect(json.body.error.code).toBe('unauthorized');
      }
      expect(await enrolment(section.id, target.id)).toBeUndefined();
    });
  });

  describe('bad input', () => {
    it('asks staff which student (422 student_id) and writes nothing', async () => {
      const section = await createSection(t.db);
      const auditBefore = (await audits()).length;
      for (const body of [{}, { student_id: '' }, { student_id: 'abc' }, { student_id: '99999999' }]) {
        const res = await enrolJson(staff, staffToken, section.id, body);
        expect(res.status).toBe(422);
        expect(Object.keys(res.body.error.fields)).toEqual(['student_id']);
      }
      const missing = await enrolJson(staff, staffToken, section.id, {});
      expect(missing.body.error.fields.student_id).toBe('Choose the student to enrol.');
      const html = await postForm(staff, `/sections/${section.id}/enrolments`, { student_id: '99999999' });
      expect(html.status).toBe(422);
      expect(html.text).toContain('There is no such student.');
      expect(await seatCounts(t.db, section.id)).toEqual({ counter: 0, enrolled: 0 });
      expect((await audits()).length).toBe(auditBefore);
    });

    it('refuses an unknown or empty class with a class_id field error', async () => {
      const section = await createSection(t.db);
      const empty = await createClass(t.db);
      const unknown = await enrolJson(staff, staffToken, section.id, { class_id: '99999999' });
      expect(unknown.status).toBe(422);
      expect(unknown.body.error.fields).toEqual({ class_id: 'There is no such class.' });
      const none = await enrolJson(staff, staffToken, section.id, { class_id: String(empty.id) });
      expect(none.status).toBe(422);
      expect(none.body.error.fields).toEqual({ class_id: 'This class has no students.' });
      expect(await seatCounts(t.db, section.id)).toEqual({ counter: 0, enrolled: 0 });
    });
  });

  describe('students not in study', () => {
    const INACTIVE = ['suspended', 'graduated', 'withdrawn'] as const;
    const messages = {
      en: { suspended: 'Suspended', graduated: 'Graduated', withdrawn: 'Withdrawn' },
      zh: { suspended: '休学', graduated: '毕业', withdrawn: '退学' },
    };

    it('refuses a suspended, graduated or withdrawn student enrolling themself: 409 student_not_active, nothing written', async () => {
      for (const status of INACTIVE) {
        const section = await createSection(t.db);
        const s = await signedInStudent(t.app, t.db, { status });
        const auditBefore = (await audits()).length;
        const res = await enrolJson(s.agent, s.token, section.id);
        expect(res.status).toBe(409);
        expect(res.body.error.code).toBe('student_not_active');
        expect(res.body.error.message).toBe(
          `Only students in study can be enrolled: this student's record is marked "${messages.en[status]}".`,
        );
        const zh = await enrolJson(s.agent, s.token, section.id, {}, { 'Accept-Language': 'zh-CN' });
        expect(zh.body.error.message).toBe(`只有在读学生可以选课：该学生的学籍状态为「${messages.zh[status]}」。`);
        expect(await enrolment(section.id, s.row.id)).toBeUndefined();
        expect(await seatCounts(t.db, section.id)).toEqual({ counter: 0, enrolled: 0 });
        expect((await audits()).length).toBe(auditBefore);
      }
    });

    it('refuses staff enrolling one by student number, on the section page with the message', async () => {
      const section = await createSection(t.db);
      const target = await createStudent(t.db, { status: 'withdrawn' });
      const json = await enrolJson(staff, staffToken, section.id, { student_no: target.student_no });
      expect(json.status).toBe(409);
      expect(json.body.error.code).toBe('student_not_active');
      const html = await postForm(staff, `/sections/${section.id}/enrolments`, { student_no: target.student_no });
      expect(html.status).toBe(409);
      expect(html.text).toContain('this student&#39;s record is marked &#34;Withdrawn&#34;');
      expect(await enrolment(section.id, target.id)).toBeUndefined();
      expect(await seatCounts(t.db, section.id)).toEqual({ counter: 0, enrolled: 0 });
    });

    it('reports a class member not in study as refused, and enrols the others', async () => {
      const section = await createSection(t.db);
      const cls = await createClass(t.db);
      const active = await createStudent(t.db, { class_id: cls.id });
      const suspended = await createStudent(t.db, { class_id: cls.id, status: 'suspended' });
      const res = await enrolJson(staff, staffToken, section.id, { class_id: cls.id });
      expect(res.status).toBe(200);
      expect(res.body.data.counts).toEqual({ enrolled: 1, waitlisted: 0, refused: 1 });
      const line = res.body.data.students.find((l: { student_id: number }) => l.student_id === suspended.id);
      expect(line).toMatchObject({
        outcome: 'refused',
        reason: {
          code: 'student_not_active',
          message: 'Only students in study can be enrolled: this student\'s record is marked "Suspended".',
        },
      });
      expect((await enrolment(section.id, active.id)).status).toBe('enrolled');
      expect(await enrolment(section.id, suspended.id)).toBeUndefined();
      expect(await seatCounts(t.db, section.id)).toEqual({ counter: 1, enrolled: 1 });
    });
  });

  describe('enrolling a whole class', () => {
    it('reports per student who was enrolled, waitlisted or refused and why', async () => {
      const term = await createTerm(t.db);
      const clashCourse = await createCourse(t.db, { code: 'CHEM110', name: 'Chemistry' });
      const busy = await createSection(t.db, {
        termId: term.id,
        courseId: clashCourse.id,
        meetings: [{ day_of_week: 3, start_period: 1, end_period: 2 }],
      });
      const section = await createSection(t.db, {
        termId: term.id,
        capacity: 2,
        meetings: [{ day_of_week: 3, start_period: 2, end_period: 3 }],
      });
      const cls = await createClass(t.db);
      const members = [];
      for (let i = 0; i < 4; i++) members.push(await createStudent(t.db, { class_id: cls.id }));
      const archived = await createStudent(t.db, { class_id: cls.id });
      await t.db('students').where({ id: archived.id }).update({ deleted_at: '2026-01-01 00:00:00' });
      await insertEnrolment(t.db, busy.id, members[0]!.id);

      const res = await enrolJson(staff, staffToken, section.id, { class_id: cls.id });
      expect(res.status).toBe(200);
      expect(res.body.data.counts).toEqual({ enrolled: 2, waitlisted: 1, refused: 1 });
      const byId = Object.fromEntries(res.body.data.students.map((l: { student_id: number }) => [l.student_id, l]));
      expect(Object.keys(byId)).toHaveLength(4);
      expect(byId[members[0]!.id]).toMatchObject({
        outcome: 'refused',
        reason: { code: 'timetable_clash', message: 'This section clashes on your timetable with CHEM110 Chemistry.' },
      });
      expect(byId[members[1]!.id]).toMatchObject({ outcome: 'enrolled', reason: null });
      expect(byId[members[2]!.id]).toMatchObject({ outcome: 'enrolled' });
      expect(byId[members[3]!.id]).toMatchObject({ outcome: 'waitlisted', waitlist_position: 1 });
      expect(await seatCounts(t.db, section.id)).toEqual({ counter: 2, enrolled: 2 });

      // Again: everyone is already placed, nothing changes.
      const again = await enrolJson(staff, staffToken, section.id, { class_id: cls.id });
      expect(again.body.data.counts).toEqual({ enrolled: 0, waitlisted: 0, refused: 4 });
      expect(await seatCounts(t.db, section.id)).toEqual({ counter: 2, enrolled: 2 });
    });

    it('replays a repeat with the same Idempotency-Key: the first report, nothing enrolled twice', async () => {
      const section = await createSection(t.db, { capacity: 5 });
      const cls = await createClass(t.db);
      for (let i = 0; i < 2; i++) await createStudent(t.db, { class_id: cls.id });
      const key = { 'Idempotency-Key': 'class-enrol-key-0001' };
      const first = await enrolJson(staff, staffToken, section.id, { class_id: cls.id }, key);
      expect(first.body.data.counts).toEqual({ enrolled: 2, waitlisted: 0, refused: 0 });
      const auditBefore = (await audits()).length;
      const again = await enrolJson(staff, staffToken, section.id, { class_id: cls.id }, key);
      expect(again.status).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect((await audits()).length).toBe(auditBefore);
      expect(await seatCounts(t.db, section.id)).toEqual({ counter: 2, enrolled: 2 });
    });

    it('answers the HTML form with a redirect, a summary, and the refused listed on the section page', async () => {
      const section = await createSection(t.db, { status: 'open', capacity: 1 });
      const cls = await createClass(t.db);
      const first = await createStudent(t.db, { class_id: cls.id });
      await createStudent(t.db, { class_id: cls.id });
      await insertEnrolment(t.db, section.id, first.id);
      const res = await postForm(staff, `/sections/${section.id}/enrolments`, { class_id: String(cls.id) });
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(`/sections/${section.id}`);
      const page = (await staff.get(`/sections/${section.id}`).set('Accept', 'text/html')).text;
      expect(page).toContain('0 enrolled, 1 on the waiting list, 1 refused.');
      expect(page).toContain(
        `<li>${first.name} (${first.student_no}): This student is already enrolled in this section or on its waiting list.</li>`,
      );
    });
  });
});
