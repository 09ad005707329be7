// Every signed-in page is drawn in the application shell: the side navigation with the areas the role may
// open and its current link, the breadcrumbs from the area down to the page, the phone's menu button, and
// the list toolbar. Before sign-in there is no navigation at all.
import { createStudent, createUser } from '../helpers/factories';
import { signedInStudent } from '../helpers/selection';
import { signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';
import request from 'supertest';

const html = (text: string) => text.replace(/\s+/g, ' ');
const sidenav = (text: string) => html(text).match(/<nav id="sidenav"[\s\S]*?<\/nav>/)?.[0] ?? '';
const crumbs = (text: string) =>
  [...(html(text).match(/<nav class="breadcrumbs"[\s\S]*?<\/nav>/)?.[0] ?? '').matchAll(/<li>(.*?)<\/li>/g)].map((m) =>
    m[1]!.replace(/<[^>]+>/g, '').trim(),
  );

describe('the application shell', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('gives staff their areas, marks the list a record lies under, and leads the breadcrumbs to the record', async () => {
    const staff = await signIn(t.app, await createUser(t.db, 'staff'));
    const student = await createStudent(t.db, { name: '林晓' });
    const page = await staff.get(`/students/${student.id}`).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    const nav = sidenav(page.text);
    expect(nav).toContain('aria-label="Main"');
    for (const area of ['Overview', 'Records', 'Teaching', 'Course selection']) expect(nav).toContain(`>${area}</h2>`);
    expect(nav).not.toContain('Administration');
    expect(nav).not.toContain('href="/admin/');
    expect(nav).toMatch(/<a href="\/students" aria-current="location"><svg [^>]*aria-hidden="true"/);
    expect(nav.match(/aria-current=/g)).toHaveLength(1);
    expect(crumbs(page.text)).toEqual(['Records', 'Students', expect.stringContaining('林晓')]);
    expect(page.text).toContain('data-menu-toggle');
  });

  it('names the list itself as the current crumb, in Chinese too, and gives the list its toolbar', async () => {
    const staff = await signIn(t.app, await createUser(t.db, 'staff'));
    const page = await staff.get('/students?lang=zh-CN').set('Accept', 'text/html');
    expect(crumbs(page.text)).toEqual(['学籍', '学生']);
    expect(html(page.text)).toContain('<span aria-current="page">学生</span>');
    expect(sidenav(page.text)).toMatch(/<a href="\/students" aria-current="page">/);
    expect(html(page.text)).toMatch(/<div class="table-toolbar"> <p class="muted" role="status" >共 \d+ 名学生/);
    expect(page.text).toContain('data-density-toggle aria-pressed="false" hidden');
  });

  it('gives admins the administration area, and the dashboard no breadcrumbs', async () => {
    const admin = await signIn(t.app, await createUser(t.db, 'admin'));
    const page = await admin.get('/').set('Accept', 'text/html');
    const nav = sidenav(page.text);
    expect(nav).toContain('>Administration</h2>');
    for (const href of ['/admin/users', '/admin/audit', '/admin/cluster']) expect(nav).toContain(`href="${href}"`);
    expect(nav).toMatch(/<a href="\/" aria-current="page">/);
    expect(page.text).not.toContain('class="breadcrumbs"');
  });

  it('gives a student their studies and course selection only', async () => {
    const { agent } = await signedInStudent(t.app, t.db);
    const page = await agent.get('/me/transcript').set('Accept', 'text/html');
    const nav = sidenav(page.text);
    expect([...nav.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1])).toEqual(['/me', '/me/transcript', '/sections']);
    expect(nav).toMatch(/<a href="\/me\/transcript" aria-current="page">/);
    expect(crumbs(page.text)).toEqual(['My studies', 'Transcript']);
  });

  it('draws no navigation before sign-in', async () => {
    const page = await request(t.app).get('/login').set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('id="sidenav"');
    expect(page.text).not.toContain('data-menu-toggle');
    expect(page.text).not.toContain('class="breadcrumbs"');
    expect(page.text).toContain(
      '<body class="no-sidenav" data-scroll-hint="Scroll sideways to see the whole table →">',
    );
  });
});
