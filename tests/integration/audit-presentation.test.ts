// The audit log for people: the audit page, the dashboard's recent changes and a record's history name
// actions and fields in the page language and show class names, not ids.
import type { StudentRow } from '../../src/students/students.repository';
import { createAuditRow, createClass, createStudent, createUser } from '../helpers/factories';
import { type Agent, postForm, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

const HTML = 'text/html';
const JSON_TYPE = 'application/json';

describe('the audit log, as people read it', () => {
  let t: TestApp;
  let staff: Agent;
  let admin: Agent;
  let student: StudentRow;
  let from: { id: number; code: string; name: string };
  let to: { id: number; code: string; name: string };
  let editId: number;

  const classRow = async (id: number) =>
    (await t.db('classes').where({ id }).first('id', 'code', 'name')) as { id: number; code: string; name: string };

  beforeAll(async () => {
    t = await buildTestApp();
    staff = await signIn(t.app, await createUser(t.db, 'staff'));
    admin = await signIn(t.app, await createUser(t.db, 'admin'));
    from = await classRow((await createClass(t.db)).id);
    to = await classRow((await createClass(t.db)).id);
    student = await createStudent(t.db, { class_id: from.id, phone: '13800000001', gender: 'male' });

    // A real edit through the form: the phone and the class change, nothing else.
    const form: Record<string, string> = {};
    for (const field of ['student_no', 'name', 'gender', 'birth_date', 'email', 'address', 'enrolment_year', 'status'])
      form[field] = student[field as keyof StudentRow] === null ? '' : String(student[field as keyof StudentRow]);
    const res = await postForm(staff, `/students/${student.id}`, {
      ...form,
      phone: '13800000002',
      class_id: String(to.id),
      version: String(student.version),
    });
    expect(res.status).toBe(302);
    const row = await t
      .db('audit_log')
      .where({ entity: 'student', entity_id: String(student.id) })
      .first('id');
    editId = Number(row.id);
  });
  afterAll(() => t.close());

  it("says in the student's history which fields an edit changed, in both languages", async () => {
    const en = await staff.get(`/students/${student.id}?lang=en`).set('Accept', HTML);
    expect(en.text).toMatch(
      new RegExp(`data-audit-id="${editId}" data-action="update">[\\s\\S]*?<td>Updated: Phone, Class</td>`),
    );
    const zh = await staff.get(`/students/${student.id}?lang=zh-CN`).set('Accept', HTML);
    expect(zh.text).toContain('<td>修改：电话、班级</td>');
  });

  it('shows the edit on the audit page with field labels and class names instead of ids', async () => {
    const res = await admin.get(`/admin/audit?entity=student&entity_id=${student.id}&lang=en`).set('Accept', HTML);
    expect(res.status).toBe(200);
    const entry = new RegExp(`data-audit-id="${editId}"[\\s\\S]*?</details>`).exec(res.text)![0];
    expect(entry).toContain('<span data-action="update">Updated</span>');
    expect(entry).toContain(`Student <span data-record>${student.name} (${student.student_no})</span>`);
    expect(entry).toContain('2 fields changed');
    const cells = (field: string) =>
      new RegExp(`data-field="${field}"[^>]*>\\s*<th scope="row">([^<]*)[\\s\\S]*?<td>([^<]*)</td>\\s*<td>([^<]*)</td>`)
        .exec(entry)!
        .slice(1)
        .map((s) => s.trim());
    expect(cells('class_id')).toEqual(['Class', `${from.code} ${from.name}`, `${to.code} ${to.name}`]);
    expect(cells('phone')).toEqual(['Phone', '13800000001', '13800000002']);
    expect(cells('gender')).toEqual(['Gender', 'Male', 'Male']);
    expect(cells('status')).toEqual(['Status', 'Enrolled', 'Enrolled']);
    for (const hidden of ['version', 'updated_at', 'name_key', 'name_sort'])
      expect(entry).not.toContain(`data-field="${hidden}"`);

    const zh = await admin.get(`/admin/audit?entity=student&entity_id=${student.id}&lang=zh-CN`).set('Accept', HTML);
    expect(zh.text).toContain('<span data-action="update">修改</span>');
    expect(zh.text).toMatch(/<th scope="row">班级 <span class="visually-hidden">/);
  });

  it('adds the labels to the JSON answer and keeps its stored values', async () => {
    const res = await admin.get(`/admin/audit?entity=student&entity_id=${student.id}&lang=en`).set('Accept', JSON_TYPE);
    const data = res.body.data.find((r: { id: number }) => r.id === editId);
    expect(data).toMatchObject({
      action: 'update',
      action_label: 'Updated',
      entity: 'student',
      entity_label: 'Student',
      record_name: `${student.name} (${student.student_no})`,
    });
    expect(data.changes).toEqual(
      expect.arrayContaining([
        { field: 'class_id', before: String(from.id), after: String(to.id) },
        { field: 'phone', before: '13800000001', after: '13800000002' },
      ]),
    );
  });

  it('offers every action and record type in the filter, by name', async () => {
    const res = await admin.get('/admin/audit?action=update_profile&lang=en').set('Accept', HTML);
    expect(res.text).toContain('<option value="update_profile" selected>Updated own contact details</option>');
    expect(res.text).toContain('<option value="waitlist" >Joined the waiting list</option>');
    expect(res.text).toContain('<option value="term_selection_round" >Selection round</option>');
  });

  describe('on the dashboard', () => {
    const actions: [string, string, string, string][] = [
      ['enrol', 'enrolment', 'Enrolled', '选课'],
      ['waitlist', 'enrolment', 'Joined the waiting list', '加入候补'],
      ['drop', 'enrolment', 'Dropped', '退课'],
      ['update_profile', 'student', 'Updated own contact details', '修改本人联系方式'],
    ];
    const made: Record<string, number> = {};
    let classEntry: number;

    beforeAll(async () => {
      for (const [action, entity] of actions)
        made[action] = await createAuditRow(t.db, { action, entity, entityId: '1' });
      classEntry = await createAuditRow(t.db, { action: 'archive', entity: 'class', entityId: String(to.id) });
    });

    const rowOf = (html: string, id: number) => new RegExp(`<tr data-audit-id="${id}"[\\s\\S]*?</tr>`).exec(html)![0];

    it('names every action in the page language, never by its code', async () => {
      const en = (await staff.get('/?lang=en').set('Accept', HTML)).text;
      const zh = (await staff.get('/?lang=zh-CN').set('Accept', HTML)).text;
      for (const [action, , english, chinese] of actions) {
        expect(rowOf(en, made[action]!)).toContain(`<td>${english}</td>`);
        expect(rowOf(zh, made[action]!)).toContain(`<td>${chinese}</td>`);
        expect(rowOf(en, made[action]!)).not.toContain(`<td>${action}</td>`);
      }
    });

    it('says which fields an edit changed and names classes, not ids', async () => {
      const html = (await staff.get('/?lang=en').set('Accept', HTML)).text;
      expect(rowOf(html, editId)).toContain('<td>Updated: Phone, Class</td>');
      expect(rowOf(html, editId)).toContain(`<span data-record>${student.name} (${student.student_no})</span>`);
      expect(rowOf(html, classEntry)).toContain(`Class <span data-record>${to.code} ${to.name}</span>`);
      expect(rowOf(html, classEntry)).not.toContain(`#${to.id}`);

      const json = (await staff.get('/?lang=en').set('Accept', JSON_TYPE)).body.data.recent_changes as Record<
        string,
        unknown
      >[];
      expect(json.find((r) => r.id === editId)).toMatchObject({
        action: 'update',
        action_label: 'Updated',
        entity: 'student',
        entity_label: 'Student',
        changed_fields: ['Phone', 'Class'],
      });
      expect(json.find((r) => r.id === classEntry)).toMatchObject({ record_name: `${to.code} ${to.name}` });
    });
  });
});
