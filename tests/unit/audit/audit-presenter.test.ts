// The audit log as people read it: every action and record type named in both languages, fields under
// their forms' labels, values as the pages show them, referenced records named by one lookup per type.
import { AUDIT_ACTIONS, AUDIT_ENTITIES } from '../../../src/audit/audit-actions';
import { AUDIT_FIELDS, REF_KINDS, type RefKind } from '../../../src/audit/audit-fields';
import {
  type AuditNameSources,
  AuditPresenter,
  auditHistory,
  diffImages,
  type RecordName,
} from '../../../src/audit/audit-presenter';
import type { AuditRow } from '../../../src/audit/audit.repository';
import { courseInputSchema } from '../../../src/courses/courses.schemas';
import { LANGUAGES, locales, translator } from '../../../src/i18n/i18n';
import { classesDef } from '../../../src/organisation/classes';
import { departmentsDef } from '../../../src/organisation/departments';
import { majorsDef } from '../../../src/organisation/majors';
import { staffDef } from '../../../src/organisation/staff';
import { sectionInputSchema } from '../../../src/sections/sections.schemas';
import { studentInputSchema } from '../../../src/students/students.schemas';
import { termsDef } from '../../../src/terms/terms.def';

type Tree = { [key: string]: string | Tree };

function lookup(lang: (typeof LANGUAGES)[number], key: string): string | Tree | undefined {
  return key
    .split('.')
    .reduce<string | Tree | undefined>(
      (node, part) => (node && typeof node === 'object' ? node[part] : undefined),
      locales[lang] as Tree,
    );
}

let nextId = 1;
function row(over: Partial<AuditRow> & { before?: unknown; after?: unknown }): AuditRow {
  const { before, after, ...rest } = over;
  return {
    id: nextId++,
    actor_id: null,
    actor_username: 'staff1',
    action: 'update',
    entity: 'student',
    entity_id: '1',
    before_json: before === undefined ? null : JSON.stringify(before),
    after_json: after === undefined ? null : JSON.stringify(after),
    node_id: 'n1',
    request_id: null,
    client_request_id: null,
    at: '2026-11-25 13:17:00',
    ...rest,
  };
}

/** Name sources that answer from a table and count how often each type is asked. */
function namesFrom(table: Partial<Record<RefKind, Record<number, RecordName>>>) {
  const calls: { kind: RefKind; ids: number[] }[] = [];
  const sources = Object.fromEntries(
    REF_KINDS.map((kind) => [
      kind,
      {
        namesOf: async (ids: readonly number[]) => {
          calls.push({ kind, ids: [...ids] });
          const known = table[kind] ?? {};
          return new Map(ids.filter((id) => known[id]).map((id) => [id, known[id]!]));
        },
      },
    ]),
  ) as unknown as AuditNameSources;
  return { sources, calls };
}

describe('audit labels', () => {
  it.each(LANGUAGES)('name every action in %s', (lang) => {
    for (const action of AUDIT_ACTIONS) {
      const text = lookup(lang, `audit.actions.${action}`);
      expect([action, typeof text]).toEqual([action, 'string']);
      expect(translator(lang)(`audit.actions.${action}`)).not.toBe(action);
    }
  });

  it.each(LANGUAGES)('name every record type in %s', (lang) => {
    for (const entity of AUDIT_ENTITIES) {
      expect([entity, typeof lookup(lang, `admin.audit.entities.${entity}`)]).toEqual([entity, 'string']);
    }
  });

  it.each(LANGUAGES)('have every field label and every choice of a value in %s', (lang) => {
    for (const [entity, fields] of Object.entries(AUDIT_FIELDS)) {
      for (const [field, spec] of Object.entries(fields)) {
        const where = `${entity}.${field}`;
        expect([where, typeof lookup(lang, spec.label)]).toEqual([where, 'string']);
        if (spec.value.kind === 'choice')
          expect([where, typeof lookup(lang, spec.value.key)]).toEqual([where, 'object']);
        if (spec.value.kind === 'flag') {
          expect([where, typeof lookup(lang, spec.value.yes), typeof lookup(lang, spec.value.no)]).toEqual([
            where,
            'string',
            'string',
          ]);
        }
      }
    }
  });

  it('label each field with its form label', () => {
    const forms: [string, string, string[]][] = [
      ['student', 'student', Object.keys(studentInputSchema.shape)],
      ['course', 'catalogue.course', Object.keys(courseInputSchema.shape)],
      ['section', 'catalogue.section', Object.keys(sectionInputSchema.shape)],
      ...[departmentsDef, majorsDef, classesDef, staffDef, termsDef()].map((def): [string, string, string[]] => [
        def.entity,
        `${def.ns}.fields`,
        def.fields.map((f) => f.name),
      ]),
    ];
    for (const [entity, prefix, names] of forms) {
      const fields = AUDIT_FIELDS[entity as keyof typeof AUDIT_FIELDS];
      for (const name of names) {
        const label = fields[name]?.label;
        // A form label that names the zone is shortened: the audit page says once which zone its times are in.
        const form = lookup('en', `${prefix}.${name}`) as string;
        if (form.includes('{{zone}}')) expect([entity, name, label]).toEqual([entity, name, `audit.fields.${name}`]);
        else expect([entity, name, label]).toEqual([entity, name, `${prefix}.${name}`]);
      }
    }
  });
});

describe('presenting a page of audit rows', () => {
  const classes = {
    7: { code: 'C7', name: '软件2301班' },
    8: { code: 'C8', name: '软件2302班' },
  };

  it('formats values as the pages do and names referenced records', async () => {
    const { sources } = namesFrom({ class: classes, student: { 1: { code: '2023001', name: '张三' } } });
    const presenter = new AuditPresenter(sources, 'Asia/Shanghai');
    const before = { name: '张三', gender: 'male', status: 'enrolled', class_id: 7, phone: '1', version: 1 };
    const after = { ...before, status: 'suspended', class_id: 8, phone: '2', version: 2, updated_at: 'x' };
    const [en] = await presenter.present([row({ before, after })], 'en');
    expect(en!.actionLabel).toBe('Updated');
    expect(en!.entityLabel).toBe('Student');
    expect(en!.recordName).toBe('张三 (2023001)');
    expect(en!.fields.map((f) => [f.field, f.label, f.before, f.after, f.changed])).toEqual([
      ['name', 'Name', '张三', '张三', false],
      ['gender', 'Gender', 'Male', 'Male', false],
      ['status', 'Status', 'Enrolled', 'Suspended', true],
      ['class_id', 'Class', 'C7 软件2301班', 'C8 软件2302班', true],
      ['phone', 'Phone', '1', '2', true],
    ]);
    expect(en!.summary).toBe('Updated: Status, Class, Phone');
    // The stored comparison (the JSON answer's `changes`) keeps every field.
    expect(en!.changes.filter((c) => c.changed).map((c) => c.field)).toEqual([
      'status',
      'class_id',
      'phone',
      'version',
      'updated_at',
    ]);

    const [zh] = await presenter.present([row({ before, after })], 'zh-CN');
    expect(zh!.summary).toBe('修改：学籍状态、班级、电话');
    expect(zh!.fields.find((f) => f.field === 'gender')!.after).toBe('男');
  });

  it('asks each record type once for the whole page, and only the types the rows name', async () => {
    const { sources, calls } = namesFrom({ class: classes });
    const presenter = new AuditPresenter(sources);
    const rows = [
      ...[1, 2, 3].map((id) => row({ entity_id: String(id), before: { class_id: 7 }, after: { class_id: 8 } })),
      row({ entity: 'class', entity_id: '8', action: 'archive', before: { deleted_at: null } }),
      row({ entity: 'enrolment', entity_id: '5', action: 'enrol', after: { student_id: 3, section_id: 4 } }),
    ];
    const entries = await presenter.present(rows, 'en');
    expect(calls.map((c) => c.kind).sort()).toEqual(['class', 'section', 'student']);
    expect(calls.find((c) => c.kind === 'class')!.ids.sort()).toEqual([7, 8]);
    expect(calls.find((c) => c.kind === 'student')!.ids.sort()).toEqual([1, 2, 3]);
    expect(entries[3]!.recordName).toBe('C8 软件2302班');
    // A record that is gone keeps its id.
    expect(entries[4]!.fields.find((f) => f.field === 'section_id')!.after).toBe('#4');
    expect(entries[4]!.actionLabel).toBe('Enrolled');
    // Nothing to name: no lookup at all.
    calls.length = 0;
    await presenter.present([row({ entity: 'user', entity_id: null, action: 'logout' })], 'en');
    expect(calls).toEqual([]);
  });

  it('shows times in the university zone, days as days, flags and choices in words', async () => {
    const { sources } = namesFrom({});
    const presenter = new AuditPresenter(sources, 'Asia/Shanghai');
    const [archived, user, grade] = await presenter.present(
      [
        row({
          action: 'archive',
          before: { deleted_at: null, birth_date: '2005-03-01' },
          after: { deleted_at: '2026-11-25 20:30:00', birth_date: '2005-03-01' },
        }),
        row({
          entity: 'user',
          action: 'deactivate',
          before: { active: true, role: 'staff' },
          after: { active: false, role: 'staff' },
        }),
        row({
          entity: 'grade',
          action: 'update',
          before: { score: 59, passed: null },
          after: { score: 61, passed: true },
        }),
      ],
      'en',
    );
    expect(archived!.fields.map((f) => [f.label, f.before, f.after])).toEqual([
      ['Archived on', null, '26 Nov 2026, 04:30'],
      ['Date of birth', '1 Mar 2005', '1 Mar 2005'],
    ]);
    // Only an edit lists its fields: an archive says it all.
    expect(archived!.summary).toBe('Archived');
    expect(user!.fields.map((f) => [f.label, f.before, f.after])).toEqual([
      ['State', 'Active', 'Deactivated'],
      ['Role', 'Staff', 'Staff'],
    ]);
    expect(grade!.fields.map((f) => [f.label, f.before, f.after])).toEqual([
      ['Score', '59', '61'],
      ['Result', null, 'Pass'],
    ]);
  });

  it("reads a section's nested view flat, its meetings as its page lists them", async () => {
    const { sources } = namesFrom({ course: { 3: { code: 'CS101', name: '程序设计', name_en: 'Programming' } } });
    const presenter = new AuditPresenter(sources);
    const view = (capacity: number) => ({
      section: { id: 9, course_id: 3, section_no: '01', capacity, course_code: 'CS101', term_name: 'x', version: 1 },
      meetings: [{ day_of_week: 1, start_period: 1, end_period: 2 }],
    });
    const [entry] = await presenter.present([row({ entity: 'section', before: view(30), after: view(40) })], 'en');
    expect(entry!.fields.map((f) => [f.field, f.before, f.after])).toEqual([
      ['course_id', 'CS101 Programming', 'CS101 Programming'],
      ['section_no', '01', '01'],
      ['capacity', '30', '40'],
      ['meetings', 'Mon periods 1-2', 'Mon periods 1-2'],
    ]);
    expect(entry!.summary).toBe('Updated: Capacity');
  });

  it('shows an image that is not a record as it is', async () => {
    const { sources } = namesFrom({});
    const [entry] = await new AuditPresenter(sources).present([row({ before: 'old text', after: 'new' })], 'en');
    expect(entry!.fields).toEqual([{ field: '', label: '', before: 'old text', after: 'new', changed: true }]);
    expect(entry!.summary).toBe('Updated');
  });
});

describe("a record's history", () => {
  it('names the fields an edit changed, in the page language', () => {
    const rows = [
      row({
        action: 'update',
        before: { phone: '1', class_id: 7, version: 1 },
        after: { phone: '2', class_id: 8, version: 2 },
      }),
      row({
        action: 'update_profile',
        before: { email: 'a@x.edu', version: 2 },
        after: { email: 'b@x.edu', version: 3 },
      }),
      row({ action: 'create', after: { name: 'x' } }),
    ];
    expect(auditHistory(rows, translator('en')).map((h) => h.summary)).toEqual([
      'Updated: Phone, Class',
      'Updated own contact details: Email',
      'Created',
    ]);
    expect(auditHistory(rows, translator('zh-CN')).map((h) => h.summary)).toEqual([
      '修改：电话、班级',
      '修改本人联系方式：电子邮箱',
      '新增',
    ]);
  });
});

describe('comparing stored images', () => {
  it('marks each field of either image, in the after image order', () => {
    expect(diffImages({ a: 1, b: 2 }, { b: 3, c: 4 })).toEqual([
      { field: 'b', before: '2', after: '3', changed: true },
      { field: 'c', before: null, after: '4', changed: true },
      { field: 'a', before: '1', after: null, changed: true },
    ]);
    expect(diffImages(null, null)).toEqual([]);
  });
});
