// Free seats go to the waiting list in order: after a drop and when staff raise the capacity; a waiting
// student whose timetable would clash keeps their place and the seat goes to the next one.
import { createSection, createStudent, createTerm, createUser, insertEnrolment } from '../helpers/factories';
import { type Agent, csrfToken, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

describe('promotion from the waiting list', () => {
  let t: TestApp;
  let staff: Agent;
  let token: string;

  beforeAll(async () => {
    t = await buildTestApp();
    staff = await signIn(t.app, await createUser(t.db, 'staff'));
    token = await csrfToken(staff, '/account/password');
  });
  afterAll(() => t.close());

  const statusOf = async (sectionId: number, studentId: number) =>
    (await t.db('enrolments').where({ section_id: sectionId, student_id: studentId }).first()).status as string;

  async function raiseCapacity(sectionId: number, capacity: number) {
    const current = (await staff.get(`/sections/${sectionId}`).set('Accept', 'application/json')).body.data;
    const body = {
      course_id: current.course_id,
      term_id: current.term_id,
      section_no: current.section_no,
      teacher_staff_id: current.teacher_staff_id ?? '',
      capacity,
      room: current.room ?? '',
      status: current.status,
      meetings: current.meetings,
      version: current.version,
    };
    return staff.post(`/sections/${sectionId}`).set('Accept', 'application/json').set('X-CSRF-Token', token).send(body);
  }

  it('gives the seats of a raised capacity to the first waiting students, in order, with audit rows', async () => {
    const term = await createTerm(t.db, { current: true });
    const meetings = [{ day_of_week: 5, start_period: 9, end_period: 10 }];
    const section = await createSection(t.db, { termId: term.id, capacity: 1, meetings });
    const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map(() => createStudent(t.db)));
    await insertEnrolment(t.db, section.id, a!.id, 'enrolled');
    for (const s of [b!, c!, d!]) await insertEnrolment(t.db, section.id, s.id, 'waitlisted');

    const res = await raiseCapacity(section.id, 3);
    expect(res.body.error).toBeUndefined();
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ capacity: 3, enrolled: 3, seats_left: 0 });
    expect([await statusOf(section.id, b!.id), await statusOf(section.id, c!.id)]).toEqual(['enrolled', 'enrolled']);
    expect(await statusOf(section.id, d!.id)).toBe('waitlisted');
    const promotions = await t.db('audit_log').where({ action: 'promote', entity: 'enrolment' }).count({ n: '*' });
    expect(Number(promotions[0]!.n)).toBeGreaterThanOrEqual(2);
  });

  it('skips a waiting student whose timetable now clashes, who keeps their place', async () => {
    const term = await createTerm(t.db, { current: true });
    const meeting = [{ day_of_week: 2, start_period: 3, end_period: 4 }];
    const section = await createSection(t.db, { termId: term.id, capacity: 1, meetings: meeting });
    const other = await createSection(t.db, { termId: term.id, capacity: 5, meetings: meeting });
    const [holder, clashing, next] = await Promise.all([1, 2, 3].map(() => createStudent(t.db)));
    await insertEnrolment(t.db, section.id, holder!.id, 'enrolled');
    await insertEnrolment(t.db, section.id, clashing!.id, 'waitlisted');
    await insertEnrolment(t.db, section.id, next!.id, 'waitlisted');
    // Since joining the queue, the first waiting student took a section at the same time.
    await insertEnrolment(t.db, other.id, clashing!.id, 'enrolled');

    const res = await staff
      .post(`/sections/${section.id}/enrolments/${holder!.id}/delete`)
      .set('Accept', 'application/json')
      .set('X-CSRF-Token', token)
      .send({});
    expect(res.status).toBe(200);
    expect(res.body.data.promoted_student_id).toBe(next!.id);
    expect(await statusOf(section.id, next!.id)).toBe('enrolled');
    expect(await statusOf(section.id, clashing!.id)).toBe('waitlisted');
    const seats = await t.db('sections').where({ id: section.id }).first();
    expect(Number(seats.enrolled_count)).toBe(1);
  });

  it('skips a waiting student no longer in study, who keeps their place; the seat goes to the next', async () => {
    const section = await createSection(t.db, { capacity: 1 });
    const holder = await createStudent(t.db);
    const gone = await createStudent(t.db);
    const next = await createStudent(t.db);
    await insertEnrolment(t.db, section.id, holder.id, 'enrolled');
    await insertEnrolment(t.db, section.id, gone.id, 'waitlisted');
    await insertEnrolment(t.db, section.id, next.id, 'waitlisted');
    // Since joining the queue, the first waiting student withdrew from the school.
    await t.db('students').where({ id: gone.id }).update({ status: 'withdrawn' });

    const res = await staff
      .post(`/sections/${section.id}/enrolments/${holder.id}/delete`)
      .set('Accept', 'application/json')
      .set('X-CSRF-Token', token)
      .send({});
    expect(res.status).toBe(200);
    expect(res.body.data.promoted_student_id).toBe(next.id);
    expect(await statusOf(section.id, gone.id)).toBe('waitlisted');
    expect(await statusOf(section.id, next.id)).toBe('enrolled');
    const seats = await t.db('sections').where({ id: section.id }).first();
    expect(Number(seats.enrolled_count)).toBe(1);
  });

  it('gives no raised-capacity seat to a suspended waiting student', async () => {
    const term = await createTerm(t.db, { current: true });
    const meetings = [{ day_of_week: 4, start_period: 1, end_period: 2 }];
    const section = await createSection(t.db, { termId: term.id, capacity: 1, meetings });
    const holder = await createStudent(t.db);
    const suspended = await createStudent(t.db, { status: 'suspended' });
    await insertEnrolment(t.db, section.id, holder.id, 'enrolled');
    await insertEnrolment(t.db, section.id, suspended.id, 'waitlisted');

    const res = await raiseCapacity(section.id, 2);
    expect(res.body.error).toBeUndefined();
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ capacity: 2, enrolled: 1, seats_left: 1 });
    expect(await statusOf(section.id, suspended.id)).toBe('waitlisted');
  });
});
