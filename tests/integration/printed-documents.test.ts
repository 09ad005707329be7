// The transcript and the class roster are official documents on paper: the configured university's name
// over the title, who or what they are about, the day printed on the university's clock, and a signature
// and seal block that only paper shows; the print stylesheet numbers the pages.
import request from 'supertest';
import { formatterFor } from '../../src/i18n/format';
import {
  createCourse,
  createSection,
  createStudent,
  createTerm,
  createUser,
  insertEnrolment,
  insertGrade,
  lockGrades,
} from '../helpers/factories';
import { type Agent, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

// UTC+14: its calendar day is never the day in UTC-11, so a date shown in the wrong zone is caught.
const ZONE = 'Pacific/Kiritimati';
const UNIVERSITY = '北方理工大学';
const UNIVERSITY_EN = 'Northern Institute of Technology';

/** The signature block's markup, from its opening tag. */
const signatureBlock = (html: string) => {
  const at = html.indexOf('data-signature-block');
  expect(at).toBeGreaterThan(-1);
  return html.slice(html.lastIndexOf('<section', at), html.indexOf('</section>', at));
};

describe('printed documents', () => {
  let t: TestApp;
  let staff: Agent;
  let student: Agent;
  let studentNo: string;
  let sectionId: number;

  beforeAll(async () => {
    t = await buildTestApp({
      env: { UNIVERSITY_NAME: UNIVERSITY, UNIVERSITY_NAME_EN: UNIVERSITY_EN, TIME_ZONE: ZONE },
    });
    staff = await signIn(t.app, await createUser(t.db, 'staff'));
    const row = await createStudent(t.db, { name: '印小红' });
    studentNo = row.student_no;
    student = await signIn(t.app, await createUser(t.db, 'student', { studentId: row.id }));
    const term = await createTerm(t.db);
    const course = await createCourse(t.db, { code: 'DOC101', name: '公文写作', name_en: 'Official Writing' });
    const section = await createSection(t.db, { termId: term.id, courseId: course.id, room: 'D-1' });
    sectionId = section.id;
    const enrolment = await insertEnrolment(t.db, section.id, row.id);
    await insertGrade(t.db, enrolment.id, { score: 88 });
    await lockGrades(t.db, section.id);
  });
  afterAll(() => t.close());

  const html = async (agent: Agent, path: string) => {
    const res = await agent.get(path).set('Accept', 'text/html');
    expect(res.status).toBe(200);
    return res.text;
  };
  const today = (lang: 'en' | 'zh-CN') => formatterFor(lang, ZONE);

  describe.each([
    ['the transcript', () => student, '/me/transcript', '学业成绩单', 'Academic transcript'],
    ['the class roster', () => staff, () => `/sections/${sectionId}/roster`, '学生点名册', 'Class roster'],
  ])('%s', (_name, agentOf, pathOf, titleZh, titleEn) => {
    const path = () => (typeof pathOf === 'function' ? pathOf() : pathOf);

    it('carries the configured university’s name over its title, and the day printed in TIME_ZONE', async () => {
      const zh = await html(agentOf(), `${path()}?lang=zh-CN`);
      expect(zh).toMatch(
        new RegExp(
          `<p class="document-university muted" data-university>${UNIVERSITY}</p>\\s*<h1[^>]*>${titleZh}</h1>`,
        ),
      );
      const now = new Date();
      expect(zh).toContain(`打印日期</dt><dd><time datetime="${today('zh-CN').isoDate(now)}">`);
      expect(zh).toContain(`${today('zh-CN').date(now)}</time>`);

      const en = await html(agentOf(), `${path()}?lang=en`);
      expect(en).toMatch(
        new RegExp(
          `<p class="document-university muted" data-university>${UNIVERSITY_EN}</p>\\s*<h1[^>]*>${titleEn}</h1>`,
        ),
      );
      expect(en).not.toContain(UNIVERSITY);
      expect(en).toContain(`Printed on</dt><dd><time datetime="${today('en').isoDate(now)}">${today('en').date(now)}`);
    });

    it('ends with a signature and seal block shown only on paper', async () => {
      const zh = signatureBlock(await html(agentOf(), `${path()}?lang=zh-CN`));
      expect(zh).toContain('class="signature-block print-only"');
      expect(zh.match(/<dt>(.*?)<\/dt>/g)).toEqual(['<dt>经办人</dt>', '<dt>签名</dt>', '<dt>日期</dt>']);
      expect(zh).toContain('<p class="seal-box">盖章处</p>');
      const en = signatureBlock(await html(agentOf(), `${path()}?lang=en`));
      expect(en.match(/<dt>(.*?)<\/dt>/g)).toEqual(['<dt>Prepared by</dt>', '<dt>Signature</dt>', '<dt>Date</dt>']);
      expect(en).toContain('<p class="seal-box">Seal</p>');
      expect(en).toContain('aria-label="Certification"');
    });
  });

  it('names the student on the transcript and the section on the roster', async () => {
    const transcript = await html(student, '/me/transcript?lang=en');
    expect(transcript).toContain('印小红');
    expect(transcript).toContain(studentNo);
    expect(transcript).toContain('Official Writing');
    const roster = await html(staff, `/sections/${sectionId}/roster?lang=en`);
    expect(roster).toContain('DOC101 Official Writing');
    expect(roster).toContain('印小红');
    expect(roster).not.toMatch(/style=|<script>/);
  });

  it('shows the configured name on English pages when no English name is set', async () => {
    const only = await buildTestApp({ env: { UNIVERSITY_NAME: UNIVERSITY }, shared: t });
    try {
      const agent = await signIn(only.app, await createUser(t.db, 'staff'));
      expect(await html(agent, `/sections/${sectionId}/roster?lang=en`)).toContain(`data-university>${UNIVERSITY}</p>`);
    } finally {
      await only.close();
    }
  });
});

describe('the print stylesheet', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('numbers every page at its foot, shows paper-only blocks, repeats table headers and keeps the seal block whole', async () => {
    const css = (await request(t.app).get('/static/css/print.css')).text;
    expect(css).toMatch(/@page \{\s*@bottom-center \{\s*content: counter\(page\) ' \/ ' counter\(pages\);/);
    expect(css).toMatch(/\.print-only \{\s*display: block;/);
    expect(css).toMatch(/thead \{\s*display: table-header-group;/);
    expect(css).toMatch(/section\.signature-block \{[^}]*break-inside: avoid;/);
    // Nothing big is kept on one page (which would push a long table on and leave half a page empty).
    expect(css).not.toMatch(/\.(card|table-wrap|transcript-term)[^{]*\{[^}]*break-inside: avoid/);
    const app = (await request(t.app).get('/static/css/app.css')).text;
    expect(app).toMatch(/\.print-only \{\s*display: none;/);
  });

  it('prints the default names when none is configured', async () => {
    const agent = await signIn(t.app, await createUser(t.db, 'staff'));
    const section = await createSection(t.db);
    const page = (lang: string) => agent.get(`/sections/${section.id}/roster?lang=${lang}`).set('Accept', 'text/html');
    expect((await page('zh-CN')).text).toContain('data-university>示范大学</p>');
    expect((await page('en')).text).toContain('data-university>Demonstration University</p>');
  });
});
