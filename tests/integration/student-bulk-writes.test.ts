// The students feature's bulk writes (an import's): what create and update write for each record (the
// row, its search grams, its audit entry), in batches, in the caller's transaction; a stale or archived
// record refuses the whole batch.
import type { ActorContext } from '../../src/audit/audit-context';
import { buildServices } from '../../src/features';
import { studentInputSchema } from '../../src/students/students.schemas';
import { UsersRepository } from '../../src/users/users.repository';
import { createStudent, studentInput } from '../helpers/factories';
import { buildTestApp, type TestApp } from '../helpers/test-app';

const ctx: ActorContext = { actorId: null, actorUsername: 'bulk-writer', requestId: null };

describe('bulk student writes', () => {
  let t: TestApp;
  let services: ReturnType<typeof buildServices>;
  beforeAll(async () => {
    t = await buildTestApp();
    services = buildServices({ config: t.config, db: t.db, users: new UsersRepository(t.db) });
  });
  afterAll(() => t.close());

  const audits = (action: string) => t.db('audit_log').where({ actor_username: 'bulk-writer', action });
  const parsed = (overrides = {}) => studentInputSchema.parse(studentInput(overrides));

  it('creates many, each with its grams and create entry, in batches inside the caller’s transaction', async () => {
    const inputs = [...'甲乙丙丁戊己庚'].map((c) => parsed({ name: `批量学生${c}` }));
    const made = await t.db.transaction((trx) => services.students.createMany(inputs, ctx, { transacting: trx }));
    expect(made.map((r) => r.student_no)).toEqual(inputs.map((i) => i.student_no));
    expect(made.every((r) => r.version === 1 && r.deleted_at === null)).toBe(true);
    const entries = await audits('create').whereIn(
      'entity_id',
      made.map((r) => String(r.id)),
    );
    expect(entries).toHaveLength(7);
    expect(JSON.parse(entries[0].after_json)).toMatchObject({ student_no: expect.any(String), version: 1 });
    const found = await services.students.list({ q: '批量学生丁' });
    expect(found.rows.map((r) => r.id)).toEqual([made[3]!.id]);
  });

  it('updates many at their versions, the grams of a renamed one replaced, each with its update entry', async () => {
    const a = await createStudent(t.db, { name: '甲乙' });
    const b = await createStudent(t.db, { name: '丙丁' });
    const edits = [
      { id: a.id, version: a.version, input: parsed({ ...a, name: '戊己', class_id: null }) },
      { id: b.id, version: b.version, input: parsed({ ...b, phone: '13900139000', class_id: null }) },
    ];
    const after = await services.students.updateMany(edits, ctx);
    expect(after.map((r) => [r.name, r.version])).toEqual([
      ['戊己', a.version + 1],
      ['丙丁', b.version + 1],
    ]);
    expect((await services.students.list({ q: '戊己' })).rows.map((r) => r.id)).toEqual([a.id]);
    expect((await services.students.list({ q: '甲乙' })).rows).toEqual([]);
    const entry = await audits('update')
      .where({ entity_id: String(b.id) })
      .first();
    expect(JSON.parse(entry.before_json).phone).toBe(b.phone);
    expect(JSON.parse(entry.after_json).phone).toBe('13900139000');
  });

  it('changes a student number too, and a renamed or renumbered student is found by the new one only', async () => {
    const a = await createStudent(t.db, { name: '庚辛' });
    const renumbered = `${a.student_no}R`;
    const [after] = await services.students.updateMany(
      [{ id: a.id, version: a.version, input: parsed({ ...a, student_no: renumbered, class_id: null }) }],
      ctx,
    );
    expect(after).toMatchObject({ student_no: renumbered, version: a.version + 1 });
    expect((await services.students.list({ q: '庚辛' })).rows.map((r) => r.student_no)).toEqual([renumbered]);
    const grams = await t.db('student_name_grams').where({ student_id: a.id }).distinct('student_no');
    expect(grams.map((g) => g.student_no)).toEqual([renumbered]);
  });

  it('refuses the whole batch when one record is stale or archived, writing nothing', async () => {
    const a = await createStudent(t.db);
    const b = await createStudent(t.db);
    const stale = [
      { id: a.id, version: a.version, input: parsed({ ...a, name: 'Changed A', class_id: null }) },
      { id: b.id, version: b.version + 5, input: parsed({ ...b, name: 'Changed B', class_id: null }) },
    ];
    await expect(services.students.updateMany(stale, ctx)).rejects.toMatchObject({
      status: 409,
      code: 'stale_version',
    });
    expect((await t.db('students').where({ id: a.id }).first()).name).toBe(a.name);

    await services.students.archive(b.id, ctx);
    const archived = [{ id: b.id, version: b.version + 1, input: parsed({ ...b, name: 'Changed B', class_id: null }) }];
    await expect(services.students.updateMany(archived, ctx)).rejects.toMatchObject({ status: 409, code: 'archived' });
  });

  it('refuses a number already taken as a field error, the batch rolled back', async () => {
    const taken = await createStudent(t.db);
    const fresh = parsed();
    await expect(
      services.students.createMany([fresh, parsed({ student_no: taken.student_no })], ctx),
    ).rejects.toMatchObject({ status: 422, fields: { student_no: 'validation.student_no.taken' } });
    expect(await t.db('students').where({ student_no: fresh.student_no }).first()).toBeUndefined();
  });
});
