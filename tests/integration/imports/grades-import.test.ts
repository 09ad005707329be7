// Importing a section's grades: the grid's own rules (scale, pass/fail, enrolled students only, versions),
// a locked section refused as a whole, and the grid's save doing the writing with its audit rows.
import type { Knex } from 'knex';
import type { ActorContext } from '../../../src/audit/audit-context';
import { buildServices } from '../../../src/features';
import gradesEn from '../../../src/i18n/locales/grades.en.json';
import gradesZh from '../../../src/i18n/locales/grades.zh-CN.json';
import importsEn from '../../../src/i18n/locales/imports.en.json';
import { type ImportRequest, type ImportsService } from '../../../src/imports/imports.service';
import { UsersRepository } from '../../../src/users/users.repository';
import { createStudent, insertGrade, lockGrades, sectionWithStudents } from '../../helpers/factories';
import { type ImportFiles, importFiles } from '../../helpers/import-files';
import { buildTestApp, type TestApp } from '../../helpers/test-app';

const actor: ActorContext = { actorId: null, actorUsername: 'grade-importer', requestId: null };
const pe = importsEn.imports.problems;

describe('importing grades', () => {
  let t: TestApp;
  let imports: ImportsService;
  let files: ImportFiles;

  beforeAll(async () => {
    t = await buildTestApp();
    imports = buildServices({ config: t.config, db: t.db, users: new UsersRepository(t.db) }).imports;
    files = importFiles();
  });
  afterAll(async () => {
    files.cleanup();
    await t.close();
  });

  const count = async (q: Knex.QueryBuilder) => Number((await q.count({ n: '*' }))[0]!.n);
  const written = async () => ({ grades: await count(t.db('grades')), audit: await count(t.db('audit_log')) });
  const request = (sectionId: number, file: string, overrides: Partial<ImportRequest> = {}): ImportRequest => ({
    kind: 'grades',
    mode: 'commit',
    sectionId,
    actor,
    lang: 'en',
    file: { path: file, originalName: 'grades.xlsx' },
    ...overrides,
  });
  const gradesOf = async (enrolmentIds: number[]) =>
    (await t.db('grades').whereIn('enrolment_id', enrolmentIds).orderBy('enrolment_id')).map((g) => ({
      enrolment_id: Number(g.enrolment_id),
      score: g.score === null ? null : Number(g.score),
      passed: g.passed === null ? null : Boolean(Number(g.passed)),
      version: Number(g.version),
    }));

  async function scoreSection(size = 3) {
    const students = [];
    for (let i = 0; i < size; i++) students.push(await createStudent(t.db));
    const section = await sectionWithStudents(
      t.db,
      students.map((s) => s.id),
    );
    return { students, ...section };
  }

  it('names bad scores and students not enrolled by row and column, and writes nothing', async () => {
    const { students, sectionId } = await scoreSection();
    const outsider = await createStudent(t.db);
    const file = await files.xlsx('bad.xlsx', [
      ['学号', '姓名', '百分制成绩（0-100）'],
      [students[0]!.student_no, students[0]!.name, 101],
      [students[1]!.student_no, students[1]!.name, '85.25'],
      [outsider.student_no, outsider.name, 90],
      [students[2]!.student_no, students[2]!.name, 77],
      [students[2]!.student_no, students[2]!.name, 78],
    ]);
    const before = await written();
    const report = await imports.run(request(sectionId, file));
    expect(report.errors).toEqual([
      { row: 2, column: '百分制成绩（0-100）', value: '101', message: gradesEn.grades.validation.score },
      { row: 3, column: '百分制成绩（0-100）', value: '85.25', message: gradesEn.grades.validation.score },
      { row: 4, column: '学号', value: outsider.student_no, message: gradesEn.grades.validation.not_enrolled },
      { row: 6, column: '学号', value: students[2]!.student_no, message: pe.duplicate.replace('{{row}}', '5') },
    ]);
    expect(await written()).toEqual(before);
  });

  it('imports a clean file through the grid’s save, then counts a re-import unchanged', async () => {
    const { students, sectionId, enrolmentIds } = await scoreSection();
    await insertGrade(t.db, enrolmentIds[1]!, { score: 60 });
    const file = files.csv('grades.csv', [
      ['student_no', 'name', 'Score'],
      [students[0]!.student_no, students[0]!.name, '92.5'],
      [students[1]!.student_no, students[1]!.name, 65],
      [students[2]!.student_no, students[2]!.name, ''],
    ]);
    const dry = await imports.run(request(sectionId, file, { mode: 'dry_run' }));
    expect(dry).toEqual({ total: 3, counts: { created: 1, updated: 1, unchanged: 1 }, errors: [], warnings: [] });

    const before = await written();
    const report = await imports.run(request(sectionId, file));
    expect(report.counts).toEqual({ created: 1, updated: 1, unchanged: 1 });
    expect(await gradesOf(enrolmentIds)).toEqual([
      { enrolment_id: enrolmentIds[0], score: 92.5, passed: null, version: 1 },
      { enrolment_id: enrolmentIds[1], score: 65, passed: null, version: 2 },
    ]);
    // Two grade entries (as the grid writes them) and the import's own, on the section.
    expect((await written()).audit).toBe(before.audit + 3);
    const entry = await t
      .db('audit_log')
      .where({ action: 'import', entity: 'section', entity_id: String(sectionId) })
      .first();
    expect(JSON.parse(entry.after_json)).toMatchObject({ kind: 'grades', created: 1, updated: 1, unchanged: 1 });

    const again = await imports.run(request(sectionId, file));
    expect(again.counts).toEqual({ created: 0, updated: 0, unchanged: 3 });
  });

  it('reads pass / fail in either language for a pass/fail course, and refuses a score there', async () => {
    const students = [await createStudent(t.db), await createStudent(t.db), await createStudent(t.db)];
    const { sectionId, enrolmentIds } = await sectionWithStudents(
      t.db,
      students.map((s) => s.id),
      { course: { grading: 'pass_fail' } },
    );
    const file = files.csv('pf.csv', [
      ['学号', '结果', '成绩'],
      [students[0]!.student_no, '通过', ''],
      [students[1]!.student_no, 'Fail', ''],
      [students[2]!.student_no, '', '88'],
    ]);
    const refused = await imports.run(request(sectionId, file, { lang: 'zh-CN' }));
    expect(refused.errors).toEqual([
      { row: 4, column: '成绩', value: '88', message: gradesZh.grades.validation.pass_fail_course },
    ]);
    const fixed = files.csv('pf-fixed.csv', [
      ['学号', '结果'],
      [students[0]!.student_no, '通过'],
      [students[1]!.student_no, 'Fail'],
      [students[2]!.student_no, 'pass'],
    ]);
    expect((await imports.run(request(sectionId, fixed))).counts).toEqual({ created: 3, updated: 0, unchanged: 0 });
    expect((await gradesOf(enrolmentIds)).map((g) => g.passed)).toEqual([true, false, true]);

    const noResult = files.csv('pf-none.csv', [
      ['学号', '成绩'],
      [students[0]!.student_no, '80'],
    ]);
    await expect(imports.run(request(sectionId, noResult))).rejects.toMatchObject({
      status: 422,
      code: 'import_missing_columns',
    });
  });

  it('refuses a locked section as a whole, before reading the file', async () => {
    const { students, sectionId } = await scoreSection(1);
    await lockGrades(t.db, sectionId);
    const file = files.csv('locked.csv', [
      ['学号', '成绩'],
      [students[0]!.student_no, '80'],
    ]);
    const before = await written();
    await expect(imports.run(request(sectionId, file, { lang: 'zh-CN' }))).rejects.toMatchObject({
      status: 409,
      code: 'grades_locked',
      message: gradesZh.grades.locked,
    });
    expect(await written()).toEqual(before);
  });

  it('refuses a grade saved since the file’s version (an export’s), like a stale grid cell', async () => {
    const { students, sectionId, enrolmentIds } = await scoreSection(2);
    await insertGrade(t.db, enrolmentIds[0]!, { score: 70, version: 2 });
    const file = files.csv('versions.csv', [
      ['学号', '成绩', 'version'],
      [students[0]!.student_no, '75', '1'],
      [students[1]!.student_no, '80', ''],
    ]);
    const before = await written();
    const stale = [{ row: 2, column: 'version', value: '1', message: pe.stale_grade.replace('{{value}}', '70') }];
    expect((await imports.run(request(sectionId, file, { mode: 'dry_run' }))).errors).toEqual(stale);
    const report = await imports.run(request(sectionId, file));
    expect(report.errors).toEqual(stale);
    expect(report.counts).toEqual({ created: 0, updated: 0, unchanged: 0 });
    expect(await written()).toEqual(before);

    const bad = files.csv('bad-version.csv', [
      ['学号', '成绩', 'version'],
      [students[0]!.student_no, '75', 'x'],
    ]);
    expect((await imports.run(request(sectionId, bad))).errors).toEqual([
      { row: 2, column: 'version', value: 'x', message: pe.version },
    ]);
  });

  it('writes nothing when `within` throws, and needs a section', async () => {
    const { students, sectionId, enrolmentIds } = await scoreSection(1);
    const file = files.csv('within.csv', [
      ['学号', '成绩'],
      [students[0]!.student_no, '80'],
    ]);
    await expect(
      imports.run(request(sectionId, file), {
        within: async () => {
          throw new Error('marking the job failed');
        },
      }),
    ).rejects.toThrow('marking the job failed');
    expect(await gradesOf(enrolmentIds)).toEqual([]);
    await expect(imports.run(request(sectionId, file, { sectionId: undefined }))).rejects.toMatchObject({
      status: 422,
      code: 'import_section_required',
    });
    await expect(imports.run(request(999_999, file))).rejects.toMatchObject({ status: 404 });
  });
});
