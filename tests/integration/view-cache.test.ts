// With Express's view cache on (production), pages come from templates compiled once: the same HTML as
// ejs's own engine reading templates from disk, and no file is opened to render them.
import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { viewEngine } from '../../src/lib/view-engine';
import { projectRoot } from '../../src/lib/paths';
import { createAuditRow, createSection, createStudent, createUser } from '../helpers/factories';
import { type Agent, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

/** What differs between two renderings of one page anyway: masked CSRF tokens and one-time form keys. */
function stable(html: string): string {
  return html
    .replace(/m\.[A-Za-z0-9_-]+/g, 'm.TOKEN')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UUID');
}

describe('pages from compiled templates', () => {
  let fresh: TestApp;
  let cached: TestApp;
  let freshStaff: Agent;
  let cachedStaff: Agent;
  let paths: string[];

  beforeAll(async () => {
    fresh = await buildTestApp();
    // The reference: ejs's own engine, reading each template and include from disk.
    fresh.app.engine('ejs', ejs.renderFile);
    cached = await buildTestApp({ shared: fresh });
    cached.app.enable('view cache');
    const staff = await createUser(fresh.db, 'staff');
    freshStaff = await signIn(fresh.app, staff);
    cachedStaff = await signIn(cached.app, staff);
    const student = await createStudent(fresh.db, { birth_date: '2005-03-01' });
    await createAuditRow(fresh.db, { entity: 'student', entityId: String(student.id), at: '2026-11-25 13:17:00' });
    const section = await createSection(fresh.db);
    paths = [
      `/students/${student.id}`,
      `/students/${student.id}/edit`,
      '/students/new',
      '/students',
      '/sections',
      `/sections/${section.id}`,
      '/',
      '/no-such-page',
    ];
  });
  afterAll(async () => {
    await cached.close();
    await fresh.close();
  });

  it.each(['en', 'zh-CN'])('renders every page as ejs itself does (%s)', async (lang) => {
    for (const url of paths) {
      const [a, b] = await Promise.all([
        freshStaff.get(`${url}?lang=${lang}`).set('Accept', 'text/html'),
        cachedStaff.get(`${url}?lang=${lang}`).set('Accept', 'text/html'),
      ]);
      expect([url, b.status]).toEqual([url, a.status]);
      expect(stable(b.text)).toBe(stable(a.text));
      expect(a.text).toContain('</html>');
    }
  });

  it('opens no file while rendering once the templates are compiled', async () => {
    for (const url of paths) await cachedStaff.get(url).set('Accept', 'text/html'); // warm
    const opened: string[] = [];
    const spies = (['existsSync', 'readFileSync', 'statSync'] as const).map((name) => {
      const original = fs[name] as (...args: unknown[]) => unknown;
      return jest.spyOn(fs, name).mockImplementation(((...args: unknown[]) => {
        opened.push(`${name} ${String(args[0])}`);
        return original.apply(fs, args);
      }) as never);
    });
    try {
      for (const url of paths) {
        const res = await cachedStaff.get(url).set('Accept', 'text/html');
        expect(res.text).toContain('</html>');
      }
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(opened.filter((line) => line.includes(`${path.sep}views${path.sep}`))).toEqual([]);
  });

  it('compiles every template under views/ at start-up', () => {
    const engine = viewEngine();
    expect(engine.preload(path.join(projectRoot(), 'views'))).toBeGreaterThan(40);
  });
});
