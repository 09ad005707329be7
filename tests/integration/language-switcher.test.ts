// The header's language links keep the page the user is on, with its search, filters and page number,
// and change only the language.
import request from 'supertest';
import { createUser } from '../helpers/factories';
import { type Agent, postForm, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

/** The href of the switcher's link to `lang`, as the browser reads it. */
function switchHref(html: string, lang: string): string | undefined {
  const match = new RegExp(`<a href="([^"]*)" lang="${lang}"`).exec(html);
  return match?.[1]?.replace(/&amp;/g, '&');
}

describe('the language switcher', () => {
  let t: TestApp;
  let staff: Agent;

  beforeAll(async () => {
    t = await buildTestApp();
    staff = await signIn(t.app, await createUser(t.db, 'staff'));
  });
  afterAll(() => t.close());

  it('keeps the page, its search, filters and page number, and changes only lang', async () => {
    const res = await staff.get('/students?q=%E7%8E%8B&status=enrolled&page=2').set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(switchHref(res.text, 'zh-CN')).toBe('/students?q=%E7%8E%8B&status=enrolled&page=2&lang=zh-CN');
    expect(switchHref(res.text, 'en')).toBe('/students?q=%E7%8E%8B&status=enrolled&page=2&lang=en');
  });

  it('replaces a lang already in the address instead of adding a second one', async () => {
    const res = await staff.get('/courses?lang=zh-CN&sort=name').set('Accept', 'text/html');
    expect(switchHref(res.text, 'en')).toBe('/courses?lang=en&sort=name');
    await staff.get('/?lang=en');
  });

  it('after a refused form post, switches on the home page rather than a write address', async () => {
    const res = await postForm(staff, '/students', { name: '' });
    expect(res.status).toBe(422);
    expect(switchHref(res.text, 'zh-CN')).toBe('/?lang=zh-CN');
  });

  it('never links to another site, whatever the address looks like', async () => {
    const res = await request(t.app).get('/.//evil.example/x').set('Accept', 'text/html');
    expect(res.status).toBe(404);
    const href = switchHref(res.text, 'zh-CN');
    expect(href).toMatch(/^\/[^/]/);
    expect(href).toBe('/evil.example/x?lang=zh-CN');
  });
});
