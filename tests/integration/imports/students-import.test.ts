// Importing students from real files: every mistake named by row and column in the user's language with
// nothing written, the corrected file imported in one go, a re-import updating what differs, and the
// files people actually have (GBK CSV from Chinese Windows, a BOM, Excel's numbers and dates).
import type { Knex } from 'knex';
import type { ActorContext } from '../../../src/audit/audit-context';
import { AuditRepository } from '../../../src/audit/audit.repository';
import { buildServices } from '../../../src/features';
import en from '../../../src/i18n/locales/en.json';
import importsEn from '../../../src/i18n/locales/imports.en.json';
import importsZh from '../../../src/i18n/locales/imports.zh-CN.json';
import zh from '../../../src/i18n/locales/zh-CN.json';
import { ImportFileError } from '../../../src/imports/imports.errors';
import { type ImportRequest, ImportsService } from '../../../src/imports/imports.service';
import { UsersRepository } from '../../../src/users/users.repository';
import { createClass, createStudent, uniqueTag } from '../../helpers/factories';
import { type ImportFiles, importFiles } from '../../helpers/import-files';
import { buildTestApp, type TestApp } from '../../helpers/test-app';

const actor: ActorContext = { actorId: null, actorUsername: 'importer', requestId: null };
const pz = importsZh.imports.problems;
const pe = importsEn.imports.problems;

describe('importing students', () => {
  let t: TestApp;
  let imports: ImportsService;
  let files: ImportFiles;
  let classCode: string;
  let className: string;
  let classId: number;

  beforeAll(async () => {
    t = await buildTestApp();
    const services = buildServices({ config: t.config, db: t.db, users: new UsersRepository(t.db) });
    imports = services.imports;
    files = importFiles();
    const made = await createClass(t.db);
    classId = made.id;
    const row = await t.db('classes').where({ id: classId }).first();
    classCode = row.code;
    className = row.name;
  });
  afterAll(async () => {
    files.cleanup();
    await t.close();
  });

  const count = async (q: Knex.QueryBuilder) => Number((await q.count({ n: '*' }))[0]!.n);
  const written = async () => ({
    students: await count(t.db('students')),
    grams: await count(t.db('student_name_grams')),
    audit: await count(t.db('audit_log')),
  });
  const request = (file: string, overrides: Partial<ImportRequest> = {}): ImportRequest => ({
    kind: 'students',
    mode: 'commit',
    actor,
    lang: 'zh-CN',
    file: { path: file, originalName: 'students.xlsx' },
    ...overrides,
  });

  /** A number no other test uses: the tag's digits. */
  const number = () => `2025${uniqueTag().replace(/\D/g, '').padStart(6, '0')}`;
  const HEADER_ZH = ['学号', '姓名', '性别', '出生日期', '电子邮箱', '入学年份', '学籍状态', '班级'];

  describe('a file with mistakes', () => {
    let file: string;
    let nos: string[];
    beforeAll(async () => {
      nos = [number(), number(), number(), number(), number(), number(), number(), number()];
      file = await files.xlsx(
        'mistakes.xlsx',
        [
          HEADER_ZH,
          [nos[0]!, '王一', '男', '2005-04-01', 'wang@example.edu', 2024, '在读', classCode],
          [nos[1]!, '王二', '未知', '2005-04-01', 'not-an-email', 2024, '在读', ''],
          [nos[2]!, '', '女', '2005-02-30', '', 1800, '毕业', ''],
          ['a!', '王四', '女', '', '', 2024, '', ''],
          [nos[3]!, '王五', '女', '', '', 2024, '放假', 'NO-SUCH-CLASS'],
          [nos[0]!, '王六', '男', '', '', 2024, '', ''],
        ],
        { textColumns: [1] },
      );
    });

    it('names every mistake by row, column, value and the form’s own message, and writes nothing', async () => {
      const before = await written();
      const report = await imports.run(request(file));
      expect(report.errors).toEqual([
        { row: 3, column: '性别', value: '未知', message: zh.validation.gender },
        { row: 3, column: '电子邮箱', value: 'not-an-email', message: zh.validation.email },
        { row: 4, column: '姓名', value: '', message: zh.validation.required },
        { row: 4, column: '出生日期', value: '2005-02-30', message: zh.validation.date.invalid },
        { row: 4, column: '入学年份', value: '1800', message: zh.validation.enrolment_year.range },
        { row: 5, column: '学号', value: 'a!', message: zh.validation.student_no.format },
        { row: 6, column: '学籍状态', value: '放假', message: zh.validation.status },
        { row: 6, column: '班级', value: 'NO-SUCH-CLASS', message: pz.class_unknown },
        { row: 7, column: '学号', value: nos[0], message: pz.duplicate.replace('{{row}}', '2') },
      ]);
      expect(report.total).toBe(6);
      expect(report.counts).toEqual({ created: 0, updated: 0, unchanged: 0 });
      expect(await written()).toEqual(before);
    });

    it('lists the same mistakes in English on a dry run, and counts what the good rows would do', async () => {
      const before = await written();
      const report = await imports.run(request(file, { mode: 'dry_run', lang: 'en' }));
      expect(report.errors.map((e) => [e.row, e.column, e.message])).toEqual([
        [3, '性别', en.validation.gender],
        [3, '电子邮箱', en.validation.email],
        [4, '姓名', en.validation.required],
        [4, '出生日期', en.validation.date.invalid],
        [4, '入学年份', en.validation.enrolment_year.range],
        [5, '学号', en.validation.student_no.format],
        [6, '学籍状态', en.validation.status],
        [6, '班级', pe.class_unknown],
        [7, '学号', pe.duplicate.replace('{{row}}', '2')],
      ]);
      expect(report.counts).toEqual({ created: 1, updated: 0, unchanged: 0 });
      expect(await written()).toEqual(before);
    });
  });

  describe('a corrected file', () => {
    let nos: string[];
    const rows = () => [
      HEADER_ZH,
      [nos[0]!, '李雷', '男', new Date(Date.UTC(2005, 3, 1)), 'lilei@example.edu', 2024, '在读', classCode],
      [nos[1]!, '韩梅梅', '女', 38443, '', '2024', '休学', className],
      [nos[2]!, 'Jim Green', 'Male', '2005/4/1', '', 2023, 'graduated', ''],
    ];

    beforeAll(() => {
      nos = [number(), number(), number()];
    });

    it('imports in one commit: each record with its grams and audit entry, plus one entry for the import', async () => {
      const before = await written();
      const seen: [number, number][] = [];
      const file = await files.xlsx('fixed.xlsx', rows(), { textColumns: [1] });
      const report = await imports.run(request(file), { onProgress: (done, total) => seen.push([done, total]) });
      expect(report).toEqual({ total: 3, counts: { created: 3, updated: 0, unchanged: 0 }, errors: [], warnings: [] });
      expect(seen.at(-1)).toEqual([3, 3]);

      const stored = await t.db('students').whereIn('student_no', nos).orderBy('student_no');
      expect(stored.map((s) => [s.student_no, s.name, s.gender, s.birth_date, s.status, s.class_id])).toEqual([
        [nos[0], '李雷', 'male', '2005-04-01', 'enrolled', classId],
        [nos[1], '韩梅梅', 'female', '2005-04-01', 'suspended', classId],
        [nos[2], 'Jim Green', 'male', '2005-04-01', 'graduated', null],
      ]);
      const after = await written();
      expect(after.students).toBe(before.students + 3);
      expect(after.grams).toBeGreaterThan(before.grams);
      expect(after.audit).toBe(before.audit + 4);
      const creates = await t
        .db('audit_log')
        .where({ action: 'create', entity: 'student', actor_username: 'importer' })
        .whereIn(
          'entity_id',
          stored.map((s) => String(s.id)),
        );
      expect(creates).toHaveLength(3);
      const entry = await t
        .db('audit_log')
        .where({ action: 'import', actor_username: 'importer' })
        .orderBy('id', 'desc')
        .first();
      expect(JSON.parse(entry.after_json)).toEqual({
        kind: 'students',
        file: 'students.xlsx',
        total: 3,
        created: 3,
        updated: 0,
        unchanged: 0,
      });
      // The search finds them by name, through the grams the import wrote.
      const services = buildServices({ config: t.config, db: t.db, users: new UsersRepository(t.db) });
      const found = await services.students.list({ q: '韩梅' });
      expect(found.rows.map((r) => r.student_no)).toContain(nos[1]);
    });

    it('imported again with one change: that record updated, the others counted unchanged', async () => {
      const changed = rows();
      changed[2]![1] = '韩梅';
      const file = await files.xlsx('again.xlsx', changed, { textColumns: [1] });
      const before = await written();
      const dry = await imports.run(request(file, { mode: 'dry_run' }));
      expect(dry.counts).toEqual({ created: 0, updated: 1, unchanged: 2 });
      expect(await written()).toEqual(before);

      const versionBefore = (await t.db('students').where({ student_no: nos[1] }).first()).version;
      const report = await imports.run(request(file));
      expect(report.counts).toEqual({ created: 0, updated: 1, unchanged: 2 });
      const row = await t.db('students').where({ student_no: nos[1] }).first();
      expect(row).toMatchObject({ name: '韩梅', version: versionBefore + 1 });
      const update = await t
        .db('audit_log')
        .where({ action: 'update', entity: 'student', entity_id: String(row.id) })
        .first();
      expect(JSON.parse(update.before_json).name).toBe('韩梅梅');
      expect(JSON.parse(update.after_json).name).toBe('韩梅');
      expect((await written()).audit).toBe(before.audit + 2);
    });

    it('keeps what a known student has in the columns the file leaves out', async () => {
      const file = files.csv('few-columns.csv', [
        ['student_no', 'name', 'gender', 'enrolment_year'],
        [nos[0]!, '李雷', 'male', 2024],
      ]);
      const report = await imports.run(request(file, { mode: 'dry_run' }));
      expect(report).toMatchObject({ counts: { created: 0, updated: 0, unchanged: 1 }, errors: [] });
      const row = await t.db('students').where({ student_no: nos[0] }).first();
      expect(row).toMatchObject({ email: 'lilei@example.edu', class_id: classId, status: 'enrolled' });
    });
  });

  it('refuses a number already archived, when the file would change it', async () => {
    const archived = await createStudent(t.db, { student_no: number(), name: '归档生' });
    await t.db('students').where({ id: archived.id }).update({ deleted_at: '2026-01-01 00:00:00', archived: 1 });
    const file = files.csv('archived.csv', [
      ['学号', '姓名', '性别', '入学年份'],
      [archived.student_no, '归档生改名', '女', 2024],
    ]);
    const before = await written();
    const report = await imports.run(request(file));
    expect(report.errors).toEqual([{ row: 2, column: '学号', value: archived.student_no, message: pz.archived }]);
    expect(await written()).toEqual(before);
  });

  it('refuses the file as a whole when a record is archived between the check and the commit', async () => {
    const known = await createStudent(t.db, { student_no: number(), name: '原名' });
    const fresh = number();
    const services = buildServices({ config: t.config, db: t.db, users: new UsersRepository(t.db) });
    // The commit's own lookup (under lock, in its transaction) finds the record archived by then.
    const students = {
      createMany: services.students.createMany.bind(services.students),
      updateMany: services.students.updateMany.bind(services.students),
      findManyByNumbers: async (numbers: readonly string[], trx?: Knex, options?: { lock?: boolean }) => {
        if (trx && options?.lock)
          await trx('students').where({ id: known.id }).update({ deleted_at: '2026-01-01 00:00:00', archived: 1 });
        return services.students.findManyByNumbers(numbers, trx, options);
      },
    };
    const racing = new ImportsService(t.db, new AuditRepository(t.db, 'test'), {
      students,
      classes: services.organisation.classes,
      grades: services.grades,
    });
    const file = files.csv('race.csv', [
      ['学号', '姓名', '性别', '入学年份'],
      [fresh, '新生', '女', 2024],
      [known.student_no, '新名', '女', 2024],
    ]);
    const before = await written();
    const report = await racing.run(request(file));
    expect(report.errors).toEqual([{ row: 3, column: '学号', value: known.student_no, message: pz.archived }]);
    expect(report.counts).toEqual({ created: 0, updated: 0, unchanged: 0 });
    expect(await written()).toEqual(before);
    expect(await t.db('students').where({ id: known.id }).first()).toMatchObject({ name: '原名', deleted_at: null });
  });

  describe('what Excel does to cells', () => {
    it('refuses a student number stored as a number, or shown in scientific notation, telling to format it as text', async () => {
      const file = await files.xlsx('numbers.xlsx', [
        ['student_no', 'name', 'gender', 'enrolment_year'],
        [2025000001, 'A', 'male', 2024],
        ['2.025E+09', 'B', 'male', 2024],
      ]);
      const report = await imports.run(request(file, { lang: 'en' }));
      expect(report.errors).toEqual([
        { row: 2, column: 'student_no', value: '2025000001', message: pe.student_no_number },
        { row: 3, column: 'student_no', value: '2.025E+09', message: pe.student_no_number },
      ]);
      const csv = files.csv('numbers.csv', [
        ['student_no', 'name', 'gender', 'enrolment_year'],
        ['2.025E+09', 'B', 'male', 2024],
      ]);
      expect((await imports.run(request(csv, { lang: 'en' }))).errors[0]!.message).toBe(pe.student_no_number);
    });

    it('takes a date as a serial number, a date cell or text, and numbers as text', async () => {
      const nos = [number(), number(), number(), number()];
      const file = await files.xlsx(
        'dates.xlsx',
        [
          ['学号', '姓名', '性别', '出生日期', '入学年份', '电话'],
          [nos[0]!, '甲', '男', 38443, '2024', 13800138000],
          [nos[1]!, '乙', '男', new Date(Date.UTC(2004, 11, 31)), 2024, '13800138000'],
          [nos[2]!, '丙', '男', '2003/1/2', 2024, ''],
          [nos[3]!, '丁', '男', '2003年2月3日', 2024, ''],
        ],
        { textColumns: [1] },
      );
      const report = await imports.run(request(file));
      expect(report.errors).toEqual([]);
      const stored = await t.db('students').whereIn('student_no', nos).orderBy('student_no');
      expect(stored.map((s) => [s.birth_date, s.phone, Number(s.enrolment_year)])).toEqual([
        ['2005-04-01', '13800138000', 2024],
        ['2004-12-31', '13800138000', 2024],
        ['2003-01-02', null, 2024],
        ['2003-02-03', null, 2024],
      ]);
    });
  });

  describe('the files people have', () => {
    it('reads a GBK CSV with Chinese headers, as Excel saves it on Chinese Windows', async () => {
      const no = number();
      const file = files.csv('gbk.csv', [HEADER_ZH, [no, '欧阳修', '男', '2005-01-01', '', 2024, '在读', '']], {
        encoding: 'gbk',
      });
      const report = await imports.run(request(file));
      expect(report).toMatchObject({ counts: { created: 1 }, errors: [] });
      expect((await t.db('students').where({ student_no: no }).first()).name).toBe('欧阳修');
    });

    it('reads a UTF-8 CSV with a BOM (its first header is still 学号)', async () => {
      const no = number();
      const file = files.csv('bom.csv', [HEADER_ZH, [no, '司马光', '男', '', '', 2024, '', '']], {
        encoding: 'utf8-bom',
      });
      const report = await imports.run(request(file));
      expect(report).toMatchObject({ counts: { created: 1 }, errors: [], warnings: [] });
      expect((await t.db('students').where({ student_no: no }).first()).name).toBe('司马光');
    });

    it('reads a CSV that separates its columns by semicolons (Excel where the comma is the decimal mark)', async () => {
      const no = number();
      const file = files.csv(
        'semicolons.csv',
        [
          ['学号', '姓名', '性别', '入学年份', '地址'],
          [no, '王安石', '男', 2024, '临川, 江西'],
        ],
        {
          delimiter: ';',
        },
      );
      const report = await imports.run(request(file));
      expect(report).toMatchObject({ counts: { created: 1 }, errors: [] });
      expect(await t.db('students').where({ student_no: no }).first()).toMatchObject({ address: '临川, 江西' });
    });

    it('takes headers in any order, either language, any case or width, and reports an unknown column', async () => {
      const no = number();
      const file = files.csv('order.csv', [
        ['Enrolment Year', 'GENDER', '备注', 'ｓｔｕｄｅｎｔ＿ｎｏ', '姓名'],
        [2024, '女', 'ignored', no, '苏轼'],
      ]);
      const report = await imports.run(request(file));
      expect(report.errors).toEqual([]);
      expect(report.warnings).toEqual([{ row: 1, column: '备注', value: '备注', message: pz.unknown_column }]);
      expect(report.counts.created).toBe(1);
      expect(await t.db('students').where({ student_no: no }).first()).toMatchObject({
        name: '苏轼',
        gender: 'female',
      });
    });

    it('reads the downloaded template back: one example row, no problem', async () => {
      for (const format of ['xlsx', 'csv'] as const) {
        for (const lang of ['zh-CN', 'en'] as const) {
          const template = await imports.template('students', format, lang);
          const file = files.raw(`template-${lang}.${format}`, template.body);
          const report = await imports.run(request(file, { mode: 'dry_run', lang }));
          expect({ format, lang, errors: report.errors, warnings: report.warnings, total: report.total }).toEqual({
            format,
            lang,
            errors: [],
            warnings: [],
            total: 1,
          });
        }
      }
    });
  });

  describe('files that cannot be imported', () => {
    const refusal = async (file: string, lang: 'en' | 'zh-CN' = 'en') => {
      const before = await written();
      const err = await imports.run(request(file, { lang })).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ImportFileError);
      expect(await written()).toEqual(before);
      const e = err as ImportFileError;
      return { status: e.status, code: e.code, message: e.message };
    };
    const fe = importsEn.imports.errors;

    it('refuses an image renamed .xlsx, an old .xls, an empty file and a damaged workbook', async () => {
      const { pngBytes } = await import('../../helpers/import-files');
      expect(await refusal(files.raw('photo.xlsx', pngBytes()))).toEqual({
        status: 415,
        code: 'import_not_spreadsheet',
        message: fe.not_spreadsheet,
      });
      expect(await refusal(files.raw('photo.xlsx', pngBytes()), 'zh-CN')).toMatchObject({
        message: importsZh.imports.errors.not_spreadsheet,
      });
      const ole = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(512)]);
      expect(await refusal(files.raw('old.xls', ole))).toMatchObject({ status: 415, code: 'import_old_excel' });
      expect(await refusal(files.raw('empty.csv', ''))).toMatchObject({ status: 422, code: 'import_empty' });
      expect(await refusal(files.raw('blank.csv', '\r\n\r\n  \r\n'))).toMatchObject({
        status: 422,
        code: 'import_empty',
      });
      const damaged = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(2000, 7)]);
      expect(await refusal(files.raw('damaged.xlsx', damaged))).toMatchObject({
        status: 422,
        code: 'import_unreadable',
      });
    });

    it('refuses a CSV whose quoted value is never closed, naming the line', async () => {
      const file = files.raw('unclosed.csv', '学号,姓名,性别,入学年份\r\n2025000001,"张三,男,2024\r\n');
      expect(await refusal(file)).toEqual({
        status: 422,
        code: 'import_csv_malformed',
        message: fe.csv_malformed.replace('{{line}}', '2'),
      });
    });

    it('refuses a 50 MB file before reading it', async () => {
      const file = files.raw('huge.csv', '');
      const fs = await import('node:fs');
      fs.truncateSync(file, 50 * 1024 * 1024);
      expect(await refusal(file)).toEqual({
        status: 413,
        code: 'import_too_large',
        message: fe.too_large.replace('{{max}}', '20'),
      });
    });

    it('refuses a file without a header row, with a header only, or without a required column', async () => {
      expect(await refusal(files.csv('no-header.csv', [[number(), '张三', '男', 2024]]))).toMatchObject({
        status: 422,
        code: 'import_no_header',
      });
      expect(await refusal(files.csv('header-only.csv', [HEADER_ZH]))).toMatchObject({ code: 'import_no_rows' });
      const missing = await refusal(
        files.csv('missing.csv', [
          ['学号', '电话'],
          [number(), '123456'],
        ]),
        'zh-CN',
      );
      expect(missing).toEqual({
        status: 422,
        code: 'import_missing_columns',
        message: importsZh.imports.errors.missing_columns.replace('{{columns}}', '姓名、性别、入学年份'),
      });
    });

    it('refuses more rows than the limit', async () => {
      const services = buildServices({ config: t.config, db: t.db, users: new UsersRepository(t.db) });
      const small = new ImportsService(
        t.db,
        new AuditRepository(t.db, 'test'),
        { students: services.students, classes: services.organisation.classes, grades: services.grades },
        { maxRows: 2 },
      );
      const file = files.csv('three.csv', [
        ['学号', '姓名', '性别', '入学年份'],
        [number(), '甲', '男', 2024],
        [number(), '乙', '男', 2024],
        [number(), '丙', '男', 2024],
      ]);
      const err = await small.run(request(file, { lang: 'en' })).catch((e: unknown) => e);
      expect(err).toMatchObject({ status: 413, code: 'import_too_many_rows' });
    });
  });

  describe('the commit’s transaction', () => {
    it('runs `within` inside it: what `within` sees is the import, and when it throws nothing is written', async () => {
      const nos = [number(), number()];
      const file = files.csv('within.csv', [
        ['学号', '姓名', '性别', '入学年份'],
        [nos[0]!, '甲', '男', 2024],
        [nos[1]!, '乙', '男', 2024],
      ]);
      const before = await written();
      let seenInside = -1;
      const failing = imports.run(request(file), {
        within: async (trx) => {
          seenInside = await count(trx('students').whereIn('student_no', nos));
          throw new Error('the job could not be marked done');
        },
      });
      await expect(failing).rejects.toThrow('the job could not be marked done');
      expect(seenInside).toBe(2);
      expect(await written()).toEqual(before);

      let calls = 0;
      const report = await imports.run(request(file), {
        within: async (trx) => {
          calls++;
          expect(await count(trx('audit_log').where({ action: 'import', actor_username: 'importer' }))).toBeGreaterThan(
            0,
          );
        },
      });
      expect(calls).toBe(1);
      expect(report.counts.created).toBe(2);
      expect(await count(t.db('students').whereIn('student_no', nos))).toBe(2);
    });

    it('never runs `within` on a dry run or a refused commit', async () => {
      const file = files.csv('refused.csv', [
        ['学号', '姓名', '性别', '入学年份'],
        [number(), '', '男', 2024],
      ]);
      const within = jest.fn(async () => {});
      await imports.run(request(file), { within });
      await imports.run(request(file, { mode: 'dry_run' }), { within });
      expect(within).not.toHaveBeenCalled();
    });
  });
});
