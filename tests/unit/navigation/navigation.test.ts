// The side navigation and the breadcrumbs come from one list: what each role sees, which link is current,
// and the trail from the area to the page.
import { NAVIGATION, navigationFor } from '../../../src/navigation/navigation';
import { icon } from '../../../src/navigation/icons';
import { translator } from '../../../src/i18n/i18n';
import { ROLES } from '../../../src/users/users.types';

const en = translator('en');
const zh = translator('zh-CN');
const hrefs = (role: (typeof ROLES)[number]) =>
  navigationFor(role, '/', en).areas.flatMap((area) => area.items.map((item) => item.href));

describe('the side navigation', () => {
  it('gives each role its own pages, grouped by area', () => {
    expect(hrefs('student')).toEqual(['/me', '/me/transcript', '/sections']);
    expect(hrefs('staff')).toEqual([
      '/',
      '/students',
      '/classes',
      '/majors',
      '/departments',
      '/staff',
      '/courses',
      '/sections',
      '/terms',
    ]);
    expect(hrefs('admin')).toEqual([...hrefs('staff'), '/admin/users', '/admin/audit', '/admin/cluster']);
    expect(navigationFor('staff', '/', en).areas.map((area) => area.label)).toEqual([
      'Overview',
      'Records',
      'Teaching',
      'Course selection',
    ]);
  });

  it('shows nothing before sign-in', () => {
    expect(navigationFor(null, '/login', en)).toEqual({ areas: [], trail: [], atItem: false });
  });

  it('names every area and link, and draws every icon, in both languages', () => {
    for (const area of NAVIGATION) {
      for (const t of [en, zh]) expect(t(area.label)).not.toBe(area.label);
      for (const item of area.items) {
        for (const t of [en, zh]) expect(t(item.label)).not.toBe(item.label);
        expect(icon(item.icon)).toMatch(/^<svg [^>]*aria-hidden="true"[^>]*>.*<\/svg>$/s);
      }
    }
    expect(icon('no-such-icon')).toBe('');
  });

  it('marks the page shown, or the list a record page lies under', () => {
    const current = (role: (typeof ROLES)[number], path: string) =>
      navigationFor(role, path, en)
        .areas.flatMap((area) => area.items)
        .filter((item) => item.current)
        .map((item) => [item.href, item.current]);
    expect(current('staff', '/students')).toEqual([['/students', 'page']]);
    expect(current('staff', '/students/12/edit')).toEqual([['/students', 'location']]);
    expect(current('staff', '/')).toEqual([['/', 'page']]);
    expect(current('staff', '/studentsx')).toEqual([]);
    // The most specific link wins: the transcript is not "my record"; the profile belongs to the record.
    expect(current('student', '/me/transcript')).toEqual([['/me/transcript', 'page']]);
    expect(current('student', '/me/profile')).toEqual([['/me', 'location']]);
    expect(current('student', '/sections/3')).toEqual([['/sections', 'location']]);
    expect(current('staff', '/account/password')).toEqual([]);
  });

  it('leads the breadcrumbs from the area to the list, linked when the page lies below it', () => {
    expect(navigationFor('staff', '/students/12', en)).toMatchObject({
      trail: [{ label: 'Records' }, { label: 'Students', href: '/students' }],
      atItem: false,
    });
    expect(navigationFor('staff', '/students', zh)).toMatchObject({
      trail: [{ label: '学籍' }, { label: '学生', current: true }],
      atItem: true,
    });
    expect(navigationFor('staff', '/', en).trail).toEqual([]);
    // An area named like its only link is named once.
    expect(navigationFor('student', '/sections/4', en).trail).toEqual([
      { label: 'Course selection', href: '/sections' },
    ]);
    expect(navigationFor('admin', '/account/password', en).trail).toEqual([]);
  });
});
