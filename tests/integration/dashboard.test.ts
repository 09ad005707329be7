// The dashboard at /: students by status and department, this term's fullest sections, recent changes.
import { sqlNow } from '../../src/lib/time';
import { createAuditRow, createClass, createStaff, createStudent, createUser, uniqueTag } from '../helpers/factories';
import { type Agent, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

const JSON_TYPE = 'application/json';

describe('the staff dashboard', () => {
  let t: TestApp;
  let staff: Agent;

  beforeAll(async () => {
    t = await buildTestApp();
    staff = await signIn(t.app, await createUser(t.db, 'staff'));
  });
  afterAll(() => t.close());

  async function section(termId: number, capacity: number, enrolled: number, code: string) {
    const now = sqlNow();
    const [courseId] = await t
      .db('courses')
      .insert({ code, name: `课程 ${code}`, credits: 2, created_at: now, updated_at: now });
    const [id] = await t.db('sections').insert({
      course_id: courseId,
      term_id: termId,
      section_no: '01',
      capacity,
      enrolled_count: enrolled,
      teacher_staff_id: (await createStaff(t.db)).id,
      created_at: now,
      updated_at: now,
    });
    return Number(id);
  }

  it('sends students to their own record', async () => {
    const own = await createStudent(t.db);
    const student = await signIn(t.app, await createUser(t.db, 'student', { studentId: own.id }));
    const res = await student.get('/').set('Accept', 'text/html');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/me');
  });

  it('says so when there is no current term yet', async () => {
    const res = await staff.get('/').set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.text).toContain('No term is marked as current.');
    expect((await staff.get('/').set('Accept', JSON_TYPE)).body.data.current_term).toBeNull();
  });

  it('counts students by status and by department, those without a class apart, archived ones not at all', async () => {
    const a = await createClass(t.db);
    const b = await createClass(t.db);
    for (let i = 0; i < 3; i++) await createStudent(t.db, { class_id: a.id });
    await createStudent(t.db, { class_id: b.id, status: 'suspended' });
    const archived = await createStudent(t.db, { class_id: b.id });
    await t.db('students').where({ id: archived.id }).update({ deleted_at: sqlNow() });
    await createStudent(t.db, { class_id: null });

    const res = await staff.get('/').set('Accept', JSON_TYPE);
    expect(res.status).toBe(200);
    const departments = res.body.data.students_by_department as { id: number; students: number }[];
    expect(departments.find((d) => d.id === a.departmentId)?.students).toBe(3);
    expect(departments.find((d) => d.id === b.departmentId)?.students).toBe(1);
    expect(departments.map((d) => d.students)).toEqual([...departments.map((d) => d.students)].sort((x, y) => y - x));
    const unclassed = Number(
      (await t.db('students').whereNull('class_id').whereNull('deleted_at').count({ n: '*' }))[0]!.n,
    );
    expect(res.body.data.students_without_class).toBe(unclassed);
    expect(res.body.data.students_by_status.suspended).toBeGreaterThanOrEqual(1);

    const html = await staff.get('/').set('Accept', 'text/html');
    const dept = await t.db('departments').where({ id: a.departmentId }).first();
    expect(html.text).toMatch(
      new RegExp(`data-department="${dept.code}"><th scope="row">${dept.name}</th><td class="num">3</td>`),
    );
    expect(html.text).toContain('Not in a class');
  });

  it('lists the fullest sections of the current term only, at most ten, with their waiting lists', async () => {
    const now = sqlNow();
    const term = async (code: string, current: boolean) =>
      Number(
        (
          await t.db('terms').insert({
            code,
            academic_year: '2026-2027',
            semester: current ? 1 : 2,
            name: `学期 ${code}`,
            current_marker: current ? 1 : null,
            starts_on: '2026-09-01',
            ends_on: '2027-01-15',
            created_at: now,
            updated_at: now,
          })
        )[0],
      );
    const currentTerm = await term('T-CUR', true);
    const otherTerm = await term('T-OLD', false);
    const tag = uniqueTag().slice(-5);
    const full = await section(currentTerm, 30, 30, `F${tag}`);
    const half = await section(currentTerm, 40, 20, `H${tag}`);
    const empty = await section(currentTerm, 50, 0, `E${tag}`);
    const zero = await section(currentTerm, 0, 0, `Z${tag}`);
    for (let i = 0; i < 9; i++) await section(currentTerm, 100, 10 + i, `M${i}${tag}`);
    const old = await section(otherTerm, 10, 10, `O${tag}`);
    const waiting = await createStudent(t.db);
    await t.db('enrolments').insert({
      section_id: full,
      student_id: waiting.id,
      status: 'waitlisted',
      waitlist_seq: 1,
      created_at: now,
      updated_at: now,
    });

    const res = await staff.get('/').set('Accept', JSON_TYPE);
    const data = res.body.data;
    expect(data.current_term).toMatchObject({ id: currentTerm, code: 'T-CUR' });
    expect(data.section_totals).toEqual({ sections: 13, seats: 30 + 40 + 50 + 900, enrolled: 50 + 126 });
    const rows = data.fullest_sections as { id: number; fill: number; waitlisted: number }[];
    expect(rows).toHaveLength(10);
    expect(rows[0]).toMatchObject({ id: full, fill: 1, enrolled: 30, capacity: 30, waitlisted: 1 });
    expect(rows[1]).toMatchObject({ id: half, fill: 0.5 });
    expect(rows.map((r) => r.id)).not.toContain(old);
    expect(rows.map((r) => r.id)).not.toContain(empty);
    expect(rows.map((r) => r.id)).not.toContain(zero);

    const html = await staff.get('/').set('Accept', 'text/html');
    // In English the term is named by its academic year and semester (its stored name is Chinese).
    expect(html.text).toContain('2026-2027 Semester 1: 13 sections, 176 of 1020 seats taken.');
    expect(html.text).toMatch(new RegExp(`data-section="${full}">[\\s\\S]*?30 / 30[\\s\\S]*?100%`));
  });

  it('shows the last ten changes, newest first, sign-ins left out, escaped', async () => {
    const made: number[] = [];
    for (let i = 0; i < 11; i++)
      made.push(await createAuditRow(t.db, { actor: `<i>r${i}</i>`, entity: 'course', entityId: String(i) }));
    await createAuditRow(t.db, { action: 'login', entity: 'user' });

    const res = await staff.get('/').set('Accept', JSON_TYPE);
    expect(res.body.data.recent_changes.map((r: { id: number }) => r.id)).toEqual(made.slice(1).reverse());
    const html = await staff.get('/').set('Accept', 'text/html');
    expect(html.text).toContain('&lt;i&gt;r10&lt;/i&gt;');
    expect(html.text).not.toContain('<i>r10</i>');
    expect(html.text).not.toContain(`data-audit-id="${made[0]}"`);
    // The full log is for admins: staff get no link to it.
    expect(html.text).not.toContain('href="/admin/audit"');
  });
});
