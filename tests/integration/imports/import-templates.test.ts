// The import templates a staff member downloads: the header in their language, one example row, and in
// the workbook a sheet of the accepted values (genders, statuses, the classes); CSV with a BOM.
import ExcelJS from 'exceljs';
import request, { type Response } from 'supertest';
import importsEn from '../../../src/i18n/locales/imports.en.json';
import importsZh from '../../../src/i18n/locales/imports.zh-CN.json';
import { cellText } from '../../../src/imports/import-cells';
import { plainCell } from '../../../src/imports/import-file';
import { createClass, createStudent, createUser } from '../../helpers/factories';
import { type Agent, signIn } from '../../helpers/session';
import { buildTestApp, type TestApp } from '../../helpers/test-app';

/** The response body as bytes, whatever its type. */
function binary(res: Response, done: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

async function sheets(body: Buffer): Promise<{ name: string; rows: string[][] }[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  return workbook.worksheets.map((ws) => {
    const rows: string[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => cellText(plainCell(v)))));
    return { name: ws.name, rows };
  });
}

describe('import templates', () => {
  let t: TestApp;
  let staff: Agent;
  let classCode: string;

  beforeAll(async () => {
    t = await buildTestApp();
    staff = await signIn(t.app, await createUser(t.db, 'staff'));
    const made = await createClass(t.db);
    classCode = (await t.db('classes').where({ id: made.id }).first()).code;
  });
  afterAll(() => t.close());

  const download = (agent: Agent, path: string) => agent.get(path).buffer(true).parse(binary);

  it('gives the students workbook in Chinese: header, an example, and the accepted values', async () => {
    const res = await download(staff, '/imports/templates/students.xlsx?lang=zh-CN');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe('attachment; filename="students-template.xlsx"');
    const [data, values] = await sheets(res.body as Buffer);
    expect(data!.rows[0]).toEqual([
      '学号',
      '姓名',
      '性别',
      '出生日期',
      '电子邮箱',
      '电话',
      '地址',
      '入学年份',
      '学籍状态',
      '班级',
    ]);
    expect(data!.rows[1]!.slice(0, 3)).toEqual(['2025000001', '张三', '男']);
    expect(values!.name).toBe(importsZh.imports.templates.sheet_values);
    const accepted = values!.rows.map((r) => `${r[0]}=${r[1]}`);
    expect(accepted).toEqual(
      expect.arrayContaining(['性别=男', '性别=女', '学籍状态=在读', '学籍状态=退学', `班级=${classCode}`]),
    );
  });

  it('gives the students CSV in English, with a BOM', async () => {
    const res = await download(staff, '/imports/templates/students.csv?lang=en');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, example] = body.subarray(3).toString('utf8').trim().split(/\r?\n/);
    expect(header).toBe('Student number,Name,Gender,Date of birth,Email,Phone,Address,Enrolment year,Status,Class');
    expect(example).toContain(`2025000001,${importsEn.imports.templates.example_name},Male,`);
  });

  it('gives the grades templates, with the score and result columns', async () => {
    const res = await download(staff, '/imports/templates/grades.xlsx?lang=en');
    expect(res.status).toBe(200);
    const [data, values] = await sheets(res.body as Buffer);
    expect(data!.rows[0]).toEqual(['Student number', 'Name', 'Score (0-100)', 'Pass / fail', 'Version']);
    expect(values!.name).toBe(importsEn.imports.templates.sheet_values);
    const csv = await download(staff, '/imports/templates/grades.csv?lang=zh-CN');
    expect((csv.body as Buffer).subarray(3).toString('utf8')).toMatch(
      /^学号,姓名,百分制成绩（0-100）,通过 \/ 不通过,版本\r?\n/,
    );
  });

  it('is for staff and administrators only, and knows only its kinds and formats', async () => {
    const own = await createStudent(t.db);
    const student = await signIn(t.app, await createUser(t.db, 'student', { studentId: own.id }));
    expect((await student.get('/imports/templates/students.csv')).status).toBe(403);
    const anonymous = await request(t.app).get('/imports/templates/students.csv').set('Accept', 'text/html');
    expect(anonymous.status).toBe(302);
    const admin = await signIn(t.app, await createUser(t.db, 'admin'));
    expect((await download(admin, '/imports/templates/grades.csv')).status).toBe(200);
    for (const path of ['teachers.csv', 'students.pdf', 'students', 'students.csv.exe'])
      expect((await staff.get(`/imports/templates/${path}`)).status).toBe(404);
  });
});
