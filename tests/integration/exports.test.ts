// Exports as the user opens them again: the filtered student list, a section's roster and grades, and the
// audit log, as CSV (UTF-8 with a BOM) and .xlsx, read back with csv-parse and exceljs; headings in the
// reader's language, Chinese intact, formulas neutralised, the list's filters and order kept.
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { StudentsRepository } from '../../src/students/students.repository';
import {
  createAuditRow,
  createClass,
  createCourse,
  createSection,
  createStudent,
  createUser,
  insertEnrolment,
  insertGrade,
  studentInput,
  uniqueTag,
} from '../helpers/factories';
import { type Agent, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

type Cell = string | number | boolean | Date | null;

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** supertest's parser for a body kept as bytes (a CSV's BOM, a zip). */
function binary(res: request.Response, done: (err: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

async function download(agent: Agent, path: string) {
  return agent.get(path).set('Accept', 'text/html').buffer(true).parse(binary);
}

function readCsv(body: Buffer): string[][] {
  expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return parse(body.subarray(3).toString('utf8')) as string[][];
}

async function readXlsx(body: Buffer): Promise<{ rows: Cell[][]; sheet: ExcelJS.Worksheet }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ExcelJS.Buffer);
  const sheet = workbook.worksheets[0]!;
  const width = sheet.getRow(1).cellCount;
  const rows: Cell[][] = [];
  sheet.eachRow((row) => {
    rows.push(Array.from({ length: width }, (_, i) => (row.getCell(i + 1).value as Cell | undefined) ?? null));
  });
  return { rows, sheet };
}

const EN_STUDENT_HEADINGS = [
  'Student number',
  'Name',
  'Gender',
  'Date of birth',
  'Email',
  'Phone',
  'Address',
  'Enrolment year',
  'Status',
  'Class',
];
const ZH_STUDENT_HEADINGS = [
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
];

let yearSeq = 2100;
/** Each test's students share an enrolment year no other test uses: the year filter picks exactly them. */
const freshYear = () => ++yearSeq;

describe('exports', () => {
  let t: TestApp;
  let staff: Agent;
  let admin: Agent;
  let student: Agent;

  beforeAll(async () => {
    t = await buildTestApp();
    staff = await signIn(t.app, await createUser(t.db, 'staff'));
    admin = await signIn(t.app, await createUser(t.db, 'admin'));
    const own = await createStudent(t.db);
    student = await signIn(t.app, await createUser(t.db, 'student', { studentId: own.id }));
  });
  afterAll(() => t.close());

  describe('the student list', () => {
    it('is a CSV with a BOM and CRLF lines, English headings, the filters applied and Chinese intact', async () => {
      const year = freshYear();
      const cls = await createClass(t.db);
      const { code: classCode } = await t.db('classes').where({ id: cls.id }).first('code');
      const kept = await createStudent(t.db, { enrolment_year: year, name: '欧阳娜娜', class_id: cls.id });
      await createStudent(t.db, { enrolment_year: year, status: 'suspended' });
      await createStudent(t.db, { enrolment_year: year + 1000 });
      const gone = await createStudent(t.db, { enrolment_year: year });
      await new StudentsRepository(t.db).setArchived(gone.id, true);

      const res = await download(staff, `/students/export.csv?year=${year}&status=enrolled&lang=en`);

      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename="students-\d{8}\.csv"; filename\*=UTF-8''students-\d{8}\.csv$/,
      );
      expect(res.body.toString('utf8')).toContain('\r\n');
      const rows = readCsv(res.body);
      expect(rows[0]).toEqual(EN_STUDENT_HEADINGS);
      expect(rows.slice(1)).toEqual([
        [
          kept.student_no,
          '欧阳娜娜',
          'Female',
          '2005-04-01',
          kept.email,
          '13800138000',
          '北京市海淀区 1 号',
          String(year),
          'Enrolled',
          classCode,
        ],
      ]);
    });

    it('is an .xlsx with headings and choices in Chinese, numbers as numbers and the birth date a date', async () => {
      const year = freshYear();
      const s = await createStudent(t.db, { enrolment_year: year, name: '司马相如', gender: 'male' });

      const res = await download(staff, `/students/export.xlsx?year=${year}&lang=zh-CN`);

      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(XLSX_TYPE);
      expect(res.headers['content-disposition']).toMatch(/filename\*=UTF-8''students-\d{8}\.xlsx$/);
      const { rows, sheet } = await readXlsx(res.body);
      expect(sheet.name).toBe('学生');
      expect(rows[0]).toEqual(ZH_STUDENT_HEADINGS);
      expect(rows.slice(1)).toEqual([
        [
          s.student_no,
          '司马相如',
          '男',
          new Date(Date.UTC(2005, 3, 1)),
          s.email,
          '13800138000',
          '北京市海淀区 1 号',
          year,
          '在读',
          null,
        ],
      ]);
    });

    it('neutralises cells a spreadsheet would run as a formula, in both formats', async () => {
      const year = freshYear();
      const formula = '=HYPERLINK("http://evil.example/x","click")';
      const s = await createStudent(t.db, {
        enrolment_year: year,
        name: formula,
        address: '+1 Evil Road',
        phone: '-2+3',
        email: '@SUM(1+1)',
      });
      const expected = [`'${formula}`, `'-2+3`, `'+1 Evil Road`, `'@SUM(1+1)`];

      const csv = readCsv((await download(staff, `/students/export.csv?year=${year}`)).body);
      expect(csv).toHaveLength(2);
      const [no, name, , , email, phone, address] = csv[1]!;
      expect(no).toBe(s.student_no);
      expect([name, phone, address, email]).toEqual(expected);

      const { rows, sheet } = await readXlsx((await download(staff, `/students/export.xlsx?year=${year}`)).body);
      const [, xName, , , xEmail, xPhone, xAddress] = rows[1]!;
      expect([xName, xPhone, xAddress, xEmail]).toEqual(expected);
      expect(sheet.getRow(2).getCell(2).type).toBe(ExcelJS.ValueType.String);
    });

    it('holds the archived records only when the list is asked for them', async () => {
      const year = freshYear();
      const active = await createStudent(t.db, { enrolment_year: year });
      const archived = await createStudent(t.db, { enrolment_year: year });
      await new StudentsRepository(t.db).setArchived(archived.id, true);
      const numbers = async (query: string) =>
        readCsv((await download(staff, `/students/export.csv?${query}`)).body)
          .slice(1)
          .map((r) => r[0]);

      expect(await numbers(`year=${year}`)).toEqual([active.student_no]);
      expect(await numbers(`year=${year}&archived=1`)).toEqual([archived.student_no]);
    });

    it('refuses a filter the list refuses, with the list status, before any file', async () => {
      const html = await staff.get('/students/export.csv?status=sleeping').set('Accept', 'text/html');
      expect(html.status).toBe(422);
      expect(html.headers['content-disposition']).toBeUndefined();
      const json = await staff.get('/students/export.xlsx?sort=shoe_size').set('Accept', 'application/json');
      expect(json.status).toBe(422);
      expect(json.body.error.code).toBe('validation_failed');
    });

    describe('a large export (more than two batches)', () => {
      // Letters only, so the search goes both ways the list reads (the name grams and the number range).
      const word = `Xqk${String(process.pid).replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!)}`;
      const count = 2_500;
      const year = freshYear();
      beforeAll(async () => {
        const rows = Array.from({ length: count }, (_, i) => ({
          ...studentInput({ name: `${word} 王${(i * 7919) % count}`, enrolment_year: year }),
          version: 1,
          created_at: '2026-01-01 00:00:00',
          updated_at: '2026-01-01 00:00:00',
        }));
        await t.db.transaction((trx) => new StudentsRepository(t.db).insertMany(rows, trx, 250));
      });

      /** The student numbers of the whole list, page by page along its `next` links (JSON). */
      async function listed(query: string): Promise<string[]> {
        const numbers: string[] = [];
        let path: string | undefined = `/students?${query}&size=100`;
        while (path) {
          const res = await staff.get(path).set('Accept', 'application/json');
          expect(res.status).toBe(200);
          numbers.push(...(res.body.data as { student_no: string }[]).map((s) => s.student_no));
          path = res.body.meta.next as string | undefined;
        }
        return numbers;
      }

      it.each([
        ['by student number', `year=${year}`],
        ['a name search by name, descending', `q=${word}&sort=name&dir=desc`],
      ])('holds the same rows as the list, in its order: %s', async (_title, query) => {
        const list = await listed(query);
        expect(list).toHaveLength(count);

        const csv = readCsv((await download(staff, `/students/export.csv?${query}`)).body);
        expect(csv.slice(1).map((r) => r[0])).toEqual(list);

        const { rows } = await readXlsx((await download(staff, `/students/export.xlsx?${query}`)).body);
        expect(rows.slice(1).map((r) => r[0])).toEqual(list);
      });
    });
  });

  describe("a section's roster", () => {
    it('lists the seats numbered by student number, then the waiting list with positions', async () => {
      const course = await createCourse(t.db, { code: `RX${uniqueTag()}`.slice(0, 12) });
      const section = await createSection(t.db, { courseId: course.id, capacity: 2, sectionNo: 'A' });
      const cls = await createClass(t.db);
      const { code: classCode } = await t.db('classes').where({ id: cls.id }).first('code');
      const seatB = await createStudent(t.db, { student_no: `Z${uniqueTag()}B`, name: '李白' });
      const seatA = await createStudent(t.db, { student_no: `Z${uniqueTag()}A`, name: '杜甫', class_id: cls.id });
      const first = await createStudent(t.db, { name: '王维', status: 'suspended' });
      const second = await createStudent(t.db, { name: '孟浩然' });
      const dropped = await createStudent(t.db);
      await insertEnrolment(t.db, section.id, seatB.id);
      await insertEnrolment(t.db, section.id, seatA.id);
      await insertEnrolment(t.db, section.id, second.id, 'waitlisted');
      await insertEnrolment(t.db, section.id, dropped.id, 'dropped');
      await t.db('enrolments').where({ section_id: section.id, student_id: second.id }).update({ waitlist_seq: 9 });
      await insertEnrolment(t.db, section.id, first.id, 'waitlisted');
      await t.db('enrolments').where({ section_id: section.id, student_id: first.id }).update({ waitlist_seq: 1 });
      const [seat1, seat2] = [seatA, seatB].sort((a, b) => (a.student_no < b.student_no ? -1 : 1));

      const res = await download(staff, `/sections/${section.id}/roster.csv?lang=en`);
      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''roster-${course.code}-A-`);
      expect(readCsv(res.body)).toEqual([
        ['No.', 'Student number', 'Name', 'Class', 'Record status', 'List', 'Position'],
        ['1', seat1!.student_no, seat1!.name, seat1 === seatA ? classCode : '', 'Enrolled', 'Enrolled', ''],
        ['2', seat2!.student_no, seat2!.name, seat2 === seatA ? classCode : '', 'Enrolled', 'Enrolled', ''],
        ['', first.student_no, '王维', '', 'Suspended', 'Waiting list', '1'],
        ['', second.student_no, '孟浩然', '', 'Enrolled', 'Waiting list', '2'],
      ]);

      const { rows } = await readXlsx((await download(staff, `/sections/${section.id}/roster.xlsx?lang=zh-CN`)).body);
      expect(rows[0]).toEqual(['序号', '学号', '姓名', '班级', '学籍状态', '名单', '候补顺位']);
      expect(rows.slice(1).map((r) => [r[0], r[1], r[5], r[6]])).toEqual([
        [1, seat1!.student_no, '已选课', null],
        [2, seat2!.student_no, '已选课', null],
        [null, first.student_no, '候补', 1],
        [null, second.student_no, '候补', 2],
      ]);
    });

    it('is a 404 for a section that does not exist, and holds only headings for an empty one', async () => {
      expect((await staff.get('/sections/99999999/roster.csv').set('Accept', 'text/html')).status).toBe(404);
      const section = await createSection(t.db);
      const rows = readCsv((await download(staff, `/sections/${section.id}/roster.csv`)).body);
      expect(rows).toHaveLength(1);
    });
  });

  describe("a section's grades", () => {
    it('holds number, name, score and grade points as the grid shows them', async () => {
      const course = await createCourse(t.db);
      const section = await createSection(t.db, { courseId: course.id });
      const good = await createStudent(t.db, { name: '苏轼' });
      const none = await createStudent(t.db, { name: '苏辙' });
      const weak = await createStudent(t.db, { name: '=1+1' });
      const goodPlace = await insertEnrolment(t.db, section.id, good.id);
      await insertEnrolment(t.db, section.id, none.id);
      const weakPlace = await insertEnrolment(t.db, section.id, weak.id);
      await insertGrade(t.db, goodPlace.id, { score: 88.5 });
      await insertGrade(t.db, weakPlace.id, { score: 59.9 });
      const byNumber = [good, none, weak].sort((a, b) => (a.student_no < b.student_no ? -1 : 1));
      const expected: Record<number, [string, string | number | null, number | null]> = {
        [good.id]: ['苏轼', 88.5, 3.7],
        [none.id]: ['苏辙', null, null],
        [weak.id]: ["'=1+1", 59.9, 0],
      };

      const res = await download(staff, `/sections/${section.id}/grades/export.xlsx?lang=en`);
      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''grades-${course.code}-`);
      const { rows } = await readXlsx(res.body);
      expect(rows).toEqual([
        ['Student number', 'Name', 'Score (0-100)', 'Grade points'],
        ...byNumber.map((s) => [s.student_no, ...expected[s.id]!]),
      ]);

      const csv = readCsv((await download(staff, `/sections/${section.id}/grades/export.csv?lang=zh-CN`)).body);
      expect(csv[0]).toEqual(['学号', '姓名', '百分制成绩（0-100）', '绩点']);
      expect(csv.slice(1)).toEqual(
        byNumber.map((s) => [s.student_no, ...expected[s.id]!.map((v) => (v === null ? '' : String(v)))]),
      );
    });

    it('shows pass / fail in words and no grade points for a pass/fail course', async () => {
      const course = await createCourse(t.db, { grading: 'pass_fail' });
      const section = await createSection(t.db, { courseId: course.id });
      const s = await createStudent(t.db);
      await insertGrade(t.db, (await insertEnrolment(t.db, section.id, s.id)).id, { passed: true });

      const csv = readCsv((await download(staff, `/sections/${section.id}/grades/export.csv?lang=zh-CN`)).body);
      expect(csv).toEqual([
        ['学号', '姓名', '通过 / 不通过', '绩点'],
        [s.student_no, s.name, '通过', ''],
      ]);
    });

    it('is a 404 for a section that does not exist', async () => {
      expect((await staff.get('/sections/99999999/grades/export.xlsx').set('Accept', 'text/html')).status).toBe(404);
    });
  });

  describe('the audit log', () => {
    it("holds the page's entries, newest first, times in the university's zone, as the page names them", async () => {
      const actor = `x${uniqueTag()}`;
      const s = await createStudent(t.db, { name: '柳宗元' });
      await createAuditRow(t.db, {
        actor,
        action: 'update',
        entity: 'student',
        entityId: String(s.id),
        before: { phone: '111', gender: 'male', version: 1 },
        after: { phone: '222', gender: 'female', version: 2 },
        at: '2026-03-03 23:59:59',
      });
      await createAuditRow(t.db, { actor, action: 'login', entity: 'user', entityId: null, at: '2026-03-01 01:02:03' });
      await createAuditRow(t.db, { actor: `other${uniqueTag()}`, action: 'update', at: '2026-03-02 00:00:00' });

      const res = await download(admin, `/admin/audit/export.csv?actor=${actor}&lang=en`);
      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).toMatch(/filename\*=UTF-8''audit-\d{8}\.csv$/);
      const rows = readCsv(res.body);
      expect(rows[0]).toEqual([
        'Time (Asia/Shanghai)',
        'Who (username)',
        'Action',
        'Record type',
        'Record',
        'Record id',
        'Changes',
        'Node',
        'Request id',
      ]);
      expect(rows.slice(1)).toEqual([
        [
          '2026-03-04 07:59:59',
          actor,
          'Updated',
          'Student',
          `柳宗元 (${s.student_no})`,
          String(s.id),
          'Phone: 111 → 222; Gender: Male → Female',
          'test-node',
          '',
        ],
        ['2026-03-01 09:02:03', actor, 'Signed in', 'Account', '', '', '', 'test-node', ''],
      ]);

      const zh = await download(admin, `/admin/audit/export.xlsx?actor=${actor}&action=update&lang=zh-CN`);
      const { rows: zhRows, sheet } = await readXlsx(zh.body);
      expect(zhRows).toHaveLength(2);
      expect(zhRows[0]![0]).toBe('时间（Asia/Shanghai）');
      expect(zhRows[1]![0]).toEqual(new Date(Date.UTC(2026, 2, 4, 7, 59, 59)));
      expect(sheet.getRow(2).getCell(1).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
      expect(zhRows[1]![6]).toBe('电话：111 → 222；性别：男 → 女');
    });

    it('refuses a bad filter as the page does', async () => {
      const res = await admin.get('/admin/audit/export.csv?from=2026-03-05&to=2026-03-01').set('Accept', 'text/html');
      expect(res.status).toBe(422);
    });
  });

  describe('who may export', () => {
    const paths = async () => {
      const section = await createSection(t.db);
      return [
        ['/students/export.csv', 'staff'],
        ['/students/export.xlsx', 'staff'],
        [`/sections/${section.id}/roster.csv`, 'staff'],
        [`/sections/${section.id}/grades/export.xlsx`, 'staff'],
        ['/admin/audit/export.csv', 'admin'],
        ['/admin/audit/export.xlsx', 'admin'],
      ] as const;
    };

    it('gives a student 403, a visitor who is not signed in the sign-in page (or 401), staff only their lists', async () => {
      for (const [path, least] of await paths()) {
        const asStudent = await student.get(path).set('Accept', 'text/html');
        expect(asStudent.status).toBe(403);
        expect(asStudent.headers['content-disposition']).toBeUndefined();
        const anonymous = await request(t.app).get(path).set('Accept', 'text/html');
        expect([anonymous.status, anonymous.headers.location]).toEqual([302, '/login']);
        expect((await request(t.app).get(path).set('Accept', 'application/json')).status).toBe(401);
        expect((await download(staff, path)).status).toBe(least === 'staff' ? 200 : 403);
        expect((await download(admin, path)).status).toBe(200);
      }
    });
  });

  describe('the export buttons', () => {
    it('on the student list keep its filters and order, in both languages', async () => {
      const en = await staff.get('/students?q=Wang&status=enrolled&sort=name&dir=desc&size=50&lang=en');
      expect(en.text).toContain(
        '<a class="button small" href="/students/export.csv?q=Wang&amp;status=enrolled&amp;sort=name&amp;dir=desc">',
      );
      expect(en.text).toContain('<span>Export CSV</span>');
      expect(en.text).toContain('href="/students/export.xlsx?q=Wang&amp;status=enrolled&amp;sort=name&amp;dir=desc"');
      expect(en.text).toContain('<span>Export Excel</span>');
      const zh = await staff.get('/students?lang=zh-CN');
      expect(zh.text).toContain('<a class="button small" href="/students/export.csv">');
      expect(zh.text).toContain('<span>导出 CSV</span>');
      expect(zh.text).toContain('<span>导出 Excel</span>');
    });

    it('on the audit page keep its filters', async () => {
      const html = (await admin.get('/admin/audit?actor=someone&action=update&page=2&lang=en')).text;
      expect(html).toContain('href="/admin/audit/export.csv?actor=someone&amp;action=update"');
      expect(html).toContain('href="/admin/audit/export.xlsx?actor=someone&amp;action=update"');
    });

    it("on the section page's roster and on the grade grid", async () => {
      const section = await createSection(t.db);
      const page = (await staff.get(`/sections/${section.id}?lang=en`)).text;
      expect(page).toContain(`href="/sections/${section.id}/roster.csv"`);
      expect(page).toContain(`href="/sections/${section.id}/roster.xlsx"`);
      const grid = (await staff.get(`/sections/${section.id}/grades?lang=zh-CN`)).text;
      expect(grid).toContain(`href="/sections/${section.id}/grades/export.csv"`);
      expect(grid).toContain(`href="/sections/${section.id}/grades/export.xlsx"`);
      expect(grid).toContain('<span>导出 Excel</span>');
    });
  });
});
