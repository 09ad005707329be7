// The side navigation and the breadcrumbs, from one list: each area (records, teaching, selection,
// administration) holds the pages a role may open. The layout draws both from what `navigationFor` answers,
// so a page added here appears in the menu and names its place in the trail without touching a view.
import type { Role } from '../users/users.types';

export interface NavItem {
  readonly href: string;
  /** i18n key of the link's text. */
  readonly label: string;
  /** Octicon name (src/navigation/icons.ts). */
  readonly icon: string;
  readonly roles: readonly Role[];
  /** Other paths that belong to this item (a student's profile and transcript belong to their record). */
  readonly also?: readonly string[];
}

export interface NavArea {
  /** i18n key of the area's heading. */
  readonly label: string;
  readonly items: readonly NavItem[];
}

const STAFF: readonly Role[] = ['staff', 'admin'];
const ADMIN: readonly Role[] = ['admin'];
const STUDENT: readonly Role[] = ['student'];

export const NAVIGATION: readonly NavArea[] = [
  {
    label: 'nav.area.overview',
    items: [{ href: '/', label: 'nav.home', icon: 'home', roles: STAFF }],
  },
  {
    label: 'nav.area.studies',
    items: [
      { href: '/me', label: 'nav.me', icon: 'person', roles: STUDENT, also: ['/me/profile'] },
      { href: '/me/transcript', label: 'nav.transcript', icon: 'file', roles: STUDENT },
    ],
  },
  {
    label: 'nav.area.records',
    items: [
      { href: '/students', label: 'nav.students', icon: 'people', roles: STAFF },
      { href: '/classes', label: 'nav.classes', icon: 'mortar-board', roles: STAFF },
      { href: '/majors', label: 'nav.majors', icon: 'repo', roles: STAFF },
      { href: '/departments', label: 'nav.departments', icon: 'organization', roles: STAFF },
      { href: '/staff', label: 'nav.staff', icon: 'id-badge', roles: STAFF },
    ],
  },
  {
    label: 'nav.area.teaching',
    items: [
      { href: '/courses', label: 'catalogue.nav.courses', icon: 'book', roles: STAFF },
      { href: '/sections', label: 'catalogue.nav.sections', icon: 'calendar', roles: STAFF },
    ],
  },
  {
    label: 'nav.area.selection',
    items: [
      { href: '/sections', label: 'enrolments.nav', icon: 'checklist', roles: STUDENT },
      { href: '/terms', label: 'nav.terms', icon: 'tasklist', roles: STAFF },
    ],
  },
  {
    label: 'nav.area.administration',
    items: [
      { href: '/admin/users', label: 'admin.nav.users', icon: 'key', roles: ADMIN },
      { href: '/admin/audit', label: 'admin.nav.audit', icon: 'log', roles: ADMIN },
      { href: '/admin/cluster', label: 'nav.cluster', icon: 'server', roles: ADMIN },
    ],
  },
];

export interface NavLink {
  readonly href: string;
  readonly label: string;
  readonly icon: string;
  /** 'page' when this is the page shown, 'location' when the page shown lies under it, else null. */
  readonly current: 'page' | 'location' | null;
}

export interface Navigation {
  readonly areas: ReadonlyArray<{ readonly label: string; readonly items: readonly NavLink[] }>;
  /** From the area down to the page: the last crumb is the page itself (the layout adds its title). */
  readonly trail: ReadonlyArray<{ readonly label: string; readonly href?: string; readonly current?: boolean }>;
  /** True when the page shown is the item's own page (no title crumb after it). */
  readonly atItem: boolean;
}

function under(path: string, base: string): boolean {
  if (base === '/') return path === '/';
  return path === base || path.startsWith(base + '/');
}

/** How closely `path` belongs to `item`: the length of the matching base, or -1. */
function matchLength(item: NavItem, path: string): number {
  let best = -1;
  for (const base of [item.href, ...(item.also ?? [])]) {
    if (under(path, base) && base.length > best) best = base.length;
  }
  return best;
}

/** What the signed-in user may open, grouped by area, with the item under which `path` lies. */
export function navigationFor(role: Role | null | undefined, path: string, t: (key: string) => string): Navigation {
  if (!role) return { areas: [], trail: [], atItem: false };
  const visible = NAVIGATION.map((area) => ({
    label: area.label,
    items: area.items.filter((item) => item.roles.includes(role)),
  })).filter((area) => area.items.length > 0);

  // The most specific item wins: /me/transcript is the transcript, not "my record".
  let active: { area: string; item: NavItem } | null = null;
  let activeLength = -1;
  for (const area of visible) {
    for (const item of area.items) {
      const length = matchLength(item, path);
      if (length > activeLength) {
        active = { area: area.label, item };
        activeLength = length;
      }
    }
  }
  const atItem = active !== null && path === active.item.href;
  return {
    areas: visible.map((area) => ({
      label: t(area.label),
      items: area.items.map((item) => ({
        href: item.href,
        label: t(item.label),
        icon: item.icon,
        current: item === active?.item ? (atItem ? 'page' : 'location') : null,
      })),
    })),
    trail: active ? trailTo(active, atItem, t) : [],
    atItem,
  };
}

/** Area, then item; the dashboard (the root) needs no trail, and an area named like its item once. */
function trailTo(
  active: { area: string; item: NavItem },
  atItem: boolean,
  t: (key: string) => string,
): Navigation['trail'] {
  if (active.item.href === '/') return [];
  const area = t(active.area);
  const label = t(active.item.label);
  const item = atItem ? { label, current: true } : { label, href: active.item.href };
  return area === label ? [item] : [{ label: area }, item];
}
