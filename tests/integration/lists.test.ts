// Every list sorts by each of its columns both ways (ties broken by id in the same direction), ignores
// a sort it does not know, keeps its filters in the sort and page links, and says what to do when empty.
// Each test filters to rows it made (a unique search), so rows of other suites never interfere.
import { sqlNow } from '../../src/lib/time';
import lists from '../../src/i18n/locales/lists.en.json';
import {
  createAuditRow,
  createCourse,
  createDepartment,
  createMajor,
  createSection,
  createStaff,
  createStudent,
  createTerm,
  createUser,
  freeTerm,
  insertEnrolment,
  uniqueCode,
  uniqueTag,
} from '../helpers/factories';
import { type Agent, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

const L = lists.lists;
type Value = string | number | null;
type Made = { id: number; values: Record<string, Value> };

/** The ids in the order the list must give them: by the column's value (nulls first), then by id. */
function expected(rows: Made[], column: string, dir: 'asc' | 'desc'): number[] {
  const sorted = [...rows].sort((a, b) => {
    const x = a.values[column] ?? null;
    const y = b.values[column] ?? null;
    if (x !== y) {
      if (x === null) return -1;
      if (y === null) return 1;
      return x < y ? -1 : 1;
    }
    return a.id - b.id;
  });
  const ids = sorted.map((r) => r.id);
  return dir === 'asc' ? ids : ids.reverse();
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}

/** The query of every link in the page whose href starts with `base?`. */
function links(html: string, base: string, rel?: 'prev' | 'next'): URLSearchParams[] {
  const pattern = rel ? `<a href="(${base}\\?[^"]*)" rel="${rel}">` : `<a href="(${base}\\?[^"]*)"`;
  return [...html.matchAll(new RegExp(pattern, 'g'))].map(
    (m) => new URLSearchParams(unescapeHtml(m[1]!).slice(base.length + 1)),
  );
}

/** The hrefs of the sortable headers, by their sort column. */
function sortLinks(html: string, base: string): Map<string, URLSearchParams> {
  const found = [...html.matchAll(/<th scope="col"[^>]*>\s*<a href="([^"]*)">/g)].map(
    (m) => new URLSearchParams(unescapeHtml(m[1]!).slice(base.length + 1)),
  );
  return new Map(found.map((q) => [q.get('sort')!, q]));
}

describe('sortable, paged lists', () => {
  let t: TestApp;
  let staff: Agent;
  let admin: Agent;

  beforeAll(async () => {
    t = await buildTestApp();
    staff = await signIn(t.app, await createUser(t.db, 'staff'));
    admin = await signIn(t.app, await createUser(t.db, 'admin'));
  });
  afterAll(() => t.close());

  async function ids(agent: Agent, base: string, query: Record<string, string>): Promise<number[]> {
    const res = await agent.get(base).query(query).set('Accept', 'application/json');
    expect(res.status).toBe(200);
    return (res.body.data as { id: number }[]).map((r) => r.id);
  }

  /** Each column both ways; an unknown column or direction falls back to the default order. */
  async function checkSorting(
    agent: Agent,
    base: string,
    filter: Record<string, string>,
    rows: Made[],
    columns: string[],
    fallback: string,
  ) {
    for (const column of columns) {
      for (const dir of ['asc', 'desc'] as const) {
        expect({ column, dir, ids: await ids(agent, base, { ...filter, sort: column, dir }) }).toEqual({
          column,
          dir,
          ids: expected(rows, column, dir),
        });
      }
    }
    const byDefault = expected(rows, fallback, 'asc');
    expect(await ids(agent, base, filter)).toEqual(byDefault);
    expect(await ids(agent, base, { ...filter, sort: 'password_hash', dir: 'sideways' })).toEqual(byDefault);
    expect(await ids(agent, base, { ...filter, sort: 'name; drop table users --' })).toEqual(byDefault);
    const html = await agent.get(base).query({ ...filter, sort: 'nope' });
    expect(html.status).toBe(200);
    // The list's own links (headings, pages) drop the ignored value; the header's language links keep the
    // address as it was typed, and the page ignores it again there.
    expect(/<main[^>]*>([\s\S]*)<\/main>/.exec(html.text)?.[1]).not.toContain('sort=nope');
  }

  /** The sort links and the page links keep the filters; the active column says its order. */
  async function checkLinks(agent: Agent, base: string, filter: Record<string, string>, column: string) {
    const query = { ...filter, sort: column, dir: 'desc', size: '1' };
    const first = await agent.get(base).query(query);
    expect(first.status).toBe(200);
    expect(first.text).toMatch(/aria-sort="descending"/);
    expect(first.text).toContain(`<caption class="visually-hidden">${L.sort.caption}</caption>`);
    const headers = sortLinks(first.text, base);
    expect(headers.get(column)!.get('dir')).toBe('asc');
    for (const [, link] of headers) {
      for (const [k, v] of Object.entries(filter)) expect(link.get(k)).toBe(v);
      expect(link.get('size')).toBe('1');
      expect(link.get('page')).toBe('1');
    }
    const [next] = links(first.text, base, 'next');
    expect(Object.fromEntries(next!)).toEqual({ ...query, page: '2' });
    const second = await agent.get(`${base}?${next!.toString()}`);
    const [prev] = links(second.text, base, 'prev');
    expect(Object.fromEntries(prev!)).toEqual({ ...query, page: '1' });
  }

  /** A search that finds nothing offers to clear it; a page past the end offers page 1 with the filters. */
  async function checkEmptyStates(agent: Agent, base: string, filter: Record<string, string>, clearTo = base) {
    const none = await agent.get(base).query({ ...filter, q: `${uniqueTag()}-none` });
    expect(none.status).toBe(200);
    expect(none.text).toContain('data-empty="filtered"');
    expect(none.text).toContain(`<a href="${clearTo.replace(/&/g, '&amp;')}">${L.clear_filters}</a>`);
    const past = await agent.get(base).query({ ...filter, page: '999' });
    expect(past.status).toBe(200);
    expect(past.text).toContain(L.past_end);
    const back = links(past.text, base).find((q) => q.get('page') === '1')!;
    for (const [k, v] of Object.entries(filter)) expect(back.get(k)).toBe(v);
  }

  describe('courses', () => {
    const rows: Made[] = [];
    let p: string;
    beforeAll(async () => {
      p = uniqueCode('LC');
      const deptBeta = await createDepartment(t.db, { name: 'Dept Beta' });
      const deptAlpha = await createDepartment(t.db, { name: 'Dept Alpha' });
      const specs = [
        {
          code: `${p}A`,
          name: 'Gamma course',
          credits: 2,
          department: 'Dept Beta',
          deptId: deptBeta,
          grading: 'score',
        },
        { code: `${p}B`, name: 'Alpha course', credits: 4, department: null, deptId: null, grading: 'pass_fail' },
        {
          code: `${p}C`,
          name: 'Beta course',
          credits: 2,
          department: 'Dept Alpha',
          deptId: deptAlpha,
          grading: 'score',
        },
      ] as const;
      for (const s of specs) {
        const c = await createCourse(t.db, {
          code: s.code,
          name: s.name,
          credits: s.credits,
          department_id: s.deptId,
          grading: s.grading,
        });
        rows.push({
          id: c.id,
          values: { code: s.code, name: s.name, credits: s.credits, department: s.department, grading: s.grading },
        });
      }
    });

    it('sorts by every column both ways', () =>
      checkSorting(staff, '/courses', { q: p }, rows, ['code', 'name', 'credits', 'department', 'grading'], 'code'));
    it('keeps the search in sort and page links', () => checkLinks(staff, '/courses', { q: p }, 'name'));
    it('says what to do when empty', () => checkEmptyStates(staff, '/courses', { q: p }));
  });

  describe('sections', () => {
    const rows: Made[] = [];
    let p: string;
    let term: { id: number; code: string };
    beforeAll(async () => {
      p = uniqueCode('LS');
      term = await createTerm(t.db);
      const gamma = await createCourse(t.db, { code: `${p}A`, name: 'Gamma', credits: 2 });
      const alpha = await createCourse(t.db, { code: `${p}B`, name: 'Alpha', credits: 4 });
      const beta = await createCourse(t.db, { code: `${p}C`, name: 'Beta', credits: 3 });
      const teacherA = await createStaff(t.db, { name: 'Teacher A' });
      const teacherB = await createStaff(t.db, { name: 'Teacher B' });
      const specs = [
        { course: gamma, no: '02', teacher: null, capacity: 40, enrolled: 40, waitlisted: 0 },
        { course: gamma, no: '01', teacher: teacherB, capacity: 30, enrolled: 10, waitlisted: 0 },
        { course: alpha, no: '01', teacher: null, capacity: 10, enrolled: 10, waitlisted: 2 },
        { course: beta, no: '01', teacher: teacherA, capacity: 20, enrolled: 5, waitlisted: 1 },
      ];
      const names: Record<number, string> = { [gamma.id]: 'Gamma', [alpha.id]: 'Alpha', [beta.id]: 'Beta' };
      for (const s of specs) {
        const section = await createSection(t.db, {
          courseId: s.course.id,
          termId: term.id,
          sectionNo: s.no,
          teacherStaffId: s.teacher?.id ?? null,
          capacity: s.capacity,
          enrolledCount: s.enrolled,
        });
        for (let i = 0; i < s.waitlisted; i++) {
          await insertEnrolment(t.db, section.id, (await createStudent(t.db)).id, 'waitlisted');
        }
        rows.push({
          id: section.id,
          values: {
            course_code: `${s.course.code}-${s.no}`,
            course_name: names[s.course.id]!,
            credits: s.course.credits,
            teacher: s.teacher === teacherA ? 'Teacher A' : s.teacher === teacherB ? 'Teacher B' : null,
            capacity: s.capacity,
            enrolled: s.enrolled,
            seats_left: s.capacity - s.enrolled,
            waitlisted: s.waitlisted,
          },
        });
      }
    });

    it('sorts by every column both ways, within the chosen term', () =>
      checkSorting(
        staff,
        '/sections',
        { term: term.code, q: p },
        rows,
        ['course_code', 'course_name', 'credits', 'teacher', 'capacity', 'enrolled', 'seats_left', 'waitlisted'],
        'course_code',
      ));

    it('keeps the list item shape of the contract', async () => {
      const res = await staff
        .get('/sections')
        .query({ term: term.code, q: p, sort: 'seats_left', dir: 'desc' })
        .set('Accept', 'application/json');
      for (const key of [
        'id',
        'course_code',
        'course_name',
        'term',
        'capacity',
        'enrolled',
        'seats_left',
        'waitlisted',
        'status',
      ]) {
        expect(res.body.data[0]).toHaveProperty(key);
      }
      expect(res.body.data[0]).toMatchObject({ id: rows[1]!.id, seats_left: 20, term: term.code });
    });

    it('keeps the term and the search in sort and page links', () =>
      checkLinks(staff, '/sections', { term: term.code, q: p }, 'seats_left'));

    it('says what to do when empty, keeping the term when clearing the search', () =>
      checkEmptyStates(staff, '/sections', { term: term.code, q: p }, `/sections?term=${term.code}`));

    it('offers staff the first section of an empty term, and tells a student to check back', async () => {
      const empty = await createTerm(t.db);
      const forStaff = await staff.get('/sections').query({ term: empty.code });
      expect(forStaff.text).toContain(`<a class="button primary" href="/sections/new">${L.create_first.section}</a>`);
      const student = await createStudent(t.db);
      const studentAgent = await signIn(t.app, await createUser(t.db, 'student', { studentId: student.id }));
      const forStudent = await studentAgent.get('/sections').query({ term: empty.code });
      expect(forStudent.status).toBe(200);
      expect(forStudent.text).toContain(L.empty.sections_student);
      expect(forStudent.text).not.toContain('/sections/new');
    });

    it('labels every cell for the phone layout and keeps the actions in their own cell', async () => {
      const res = await staff.get('/sections').query({ term: term.code, q: p });
      expect(res.text).toContain('class="sections cards-on-phone"');
      expect(res.text).toMatch(/<td data-label="Seats left" data-seats-left>/);
      expect(res.text).toContain('<td class="row-actions">');
    });
  });

  describe('organisation records and terms', () => {
    type Kind = { base: string; columns: string[]; fallback: string; make: () => Promise<{ rows: Made[]; q: string }> };
    const kinds: Kind[] = [
      {
        base: '/departments',
        columns: ['code', 'name'],
        fallback: 'code',
        make: async () => {
          const q = uniqueCode('LD');
          const rows: Made[] = [];
          for (const [suffix, name] of [
            ['B', 'Name Alpha'],
            ['A', 'Name Charlie'],
            ['C', 'Name Bravo'],
          ] as const) {
            const id = await createDepartment(t.db, { code: `${q}${suffix}`, name });
            rows.push({ id, values: { code: `${q}${suffix}`, name } });
          }
          return { rows, q };
        },
      },
      {
        base: '/majors',
        columns: ['code', 'name'],
        fallback: 'code',
        make: async () => {
          const q = uniqueCode('LM');
          const rows: Made[] = [];
          for (const [suffix, name] of [
            ['C', 'Name Alpha'],
            ['A', 'Name Bravo'],
            ['B', 'Name Alpha'],
          ] as const) {
            const id = await createMajor(t.db, { code: `${q}${suffix}`, name });
            rows.push({ id, values: { code: `${q}${suffix}`, name } });
          }
          return { rows, q };
        },
      },
      {
        base: '/classes',
        columns: ['code', 'name', 'entry_year'],
        fallback: 'code',
        make: async () => {
          const q = uniqueCode('LK');
          const major = await createMajor(t.db);
          const rows: Made[] = [];
          for (const [suffix, name, year] of [
            ['B', 'Name Bravo', 2024],
            ['A', 'Name Alpha', 2025],
            ['C', 'Name Charlie', 2024],
          ] as const) {
            const now = sqlNow();
            const [id] = await t.db('classes').insert({
              code: `${q}${suffix}`,
              name,
              major_id: major,
              entry_year: year,
              created_at: now,
              updated_at: now,
            });
            rows.push({ id: Number(id), values: { code: `${q}${suffix}`, name, entry_year: year } });
          }
          return { rows, q };
        },
      },
      {
        base: '/staff',
        columns: ['staff_no', 'name', 'title'],
        fallback: 'staff_no',
        make: async () => {
          const q = uniqueCode('LF');
          const rows: Made[] = [];
          for (const [suffix, name, title] of [
            ['C', 'Name Alpha', 'Professor'],
            ['B', 'Name Charlie', null],
            ['A', 'Name Bravo', 'Lecturer'],
          ] as const) {
            const { id } = await createStaff(t.db, { staff_no: `${q}${suffix}`, name, title });
            rows.push({ id, values: { staff_no: `${q}${suffix}`, name, title } });
          }
          return { rows, q };
        },
      },
      {
        base: '/terms',
        columns: ['code', 'name', 'starts_on', 'ends_on', 'selection_opens_at', 'selection_closes_at'],
        fallback: 'code',
        make: async () => {
          // Term codes carry their year, so the search is by name; the codes still sort by year.
          const q = uniqueTag();
          const rows: Made[] = [];
          const specs = [
            {
              name: `${q} Bravo`,
              starts_on: '2026-09-01',
              ends_on: '2027-01-20',
              opens: '2026-08-20 08:00:00',
              closes: null,
            },
            {
              name: `${q} Alpha`,
              starts_on: '2026-02-20',
              ends_on: '2027-01-21',
              opens: null,
              closes: '2026-03-01 18:00:00',
            },
            {
              name: `${q} Charlie`,
              starts_on: '2026-09-01',
              ends_on: '2026-12-10',
              opens: '2026-02-01 08:00:00',
              closes: '2026-09-10 18:00:00',
            },
          ];
          for (const s of specs) {
            const { id } = await createTerm(t.db, {
              ...freeTerm(),
              name: s.name,
              starts_on: s.starts_on,
              ends_on: s.ends_on,
              selection_opens_at: s.opens,
              selection_closes_at: s.closes,
            });
            const code = ((await t.db('terms').where({ id }).first('code')) as { code: string }).code;
            rows.push({
              id,
              values: {
                code,
                name: s.name,
                starts_on: s.starts_on,
                ends_on: s.ends_on,
                selection_opens_at: s.opens,
                selection_closes_at: s.closes,
              },
            });
          }
          return { rows, q };
        },
      },
    ];

    describe.each(kinds)('$base', (kind) => {
      let made: { rows: Made[]; q: string };
      beforeAll(async () => {
        made = await kind.make();
      });
      it('sorts by every sortable column both ways', () =>
        checkSorting(staff, kind.base, { q: made.q }, made.rows, kind.columns, kind.fallback));
      it('keeps the search in sort and page links', () => checkLinks(staff, kind.base, { q: made.q }, 'name'));
      it('says what to do when empty', () => checkEmptyStates(staff, kind.base, { q: made.q }));
    });
  });

  describe('admin accounts', () => {
    const rows: Made[] = [];
    let q: string;
    beforeAll(async () => {
      q = uniqueTag();
      const specs = [
        { suffix: 'c', role: 'staff', active: true, last: '2026-01-02 10:00:00' },
        { suffix: 'a', role: 'admin', active: false, last: null },
        { suffix: 'b', role: 'staff', active: true, last: '2026-01-01 09:00:00' },
      ] as const;
      for (const s of specs) {
        const user = await createUser(t.db, s.role, { username: `${q}${s.suffix}`, active: s.active });
        await t.db('users').where({ id: user.id }).update({ last_login_at: s.last });
        rows.push({
          id: user.id,
          values: { username: user.username, role: s.role, active: s.active ? 1 : 0, last_login_at: s.last },
        });
      }
    });

    it('sorts by every column both ways', () =>
      checkSorting(admin, '/admin/users', { q }, rows, ['username', 'role', 'active', 'last_login_at'], 'username'));
    it('keeps the filters in sort and page links', () =>
      checkLinks(admin, '/admin/users', { q, role: 'staff', active: '1' }, 'last_login_at'));
    it('says what to do when empty', () => checkEmptyStates(admin, '/admin/users', { q }));
  });

  describe('the audit log', () => {
    it('keeps every filter in its page links, and offers to clear filters that match nothing', async () => {
      const actor = uniqueTag();
      for (let i = 0; i < 3; i++)
        await createAuditRow(t.db, {
          actor,
          entity: 'course',
          action: 'update',
          at: '2026-03-0' + (i + 1) + ' 10:00:00',
        });
      const filter = { actor, entity: 'course', action: 'update', from: '2026-03-01', to: '2026-03-31', size: '1' };
      const first = await admin.get('/admin/audit').query(filter);
      expect(first.text).toContain('Page 1 of 3');
      const [next] = links(first.text, '/admin/audit', 'next');
      // With the keyset cursor of page 1's last entry (lib/keyset.ts).
      expect(Object.fromEntries(next!)).toEqual({ ...filter, page: '2', after: expect.any(String) });
      const last = links(first.text, '/admin/audit').find((l) => l.get('page') === '3')!;
      expect(Object.fromEntries(last)).toEqual({ ...filter, page: '3' });
      const third = await admin.get(`/admin/audit?${last.toString()}`);
      expect(Object.fromEntries(links(third.text, '/admin/audit', 'prev')[0]!)).toEqual({
        ...filter,
        page: '2',
        before: expect.any(String),
      });

      const none = await admin.get('/admin/audit').query({ actor: `${actor}-nobody` });
      expect(none.text).toContain('data-empty="filtered"');
      expect(none.text).toContain(`<a href="/admin/audit">${L.clear_filters}</a>`);
    });
  });

  describe('students (strict sort, shared partials)', () => {
    it('tells screen readers how the headings sort, and offers a way out of a filtered empty list', async () => {
      const res = await staff.get('/students').query({ q: `${uniqueTag()}-none`, status: 'graduated' });
      expect(res.text).toContain('data-empty="filtered"');
      expect(res.text).toContain(`<a href="/students">${L.clear_filters}</a>`);
      const list = await staff.get('/students').query({ size: '1' });
      expect(list.text).toContain(`<caption class="visually-hidden">${L.sort.caption}</caption>`);
      expect(list.text).toMatch(/<th scope="col" class="sortable" aria-sort="ascending">/);
      expect(list.text).toContain('<span class="sort-arrow" aria-hidden="true">▲</span>');
    });
  });
});
