// The sort whitelist: only allowed names reach the ORDER BY, unknown ones fall back (or 422 when strict),
// and a unique tiebreak follows in the same direction.
import knex from 'knex';
import { z } from 'zod';
import { keptFilters, orderBySort, sortFields, type SortColumns } from '../../../src/lib/sorting';

const COLUMNS = ['code', 'name', 'seats_left'] as const;
type Column = (typeof COLUMNS)[number];
const SQL: SortColumns<Column> = {
  code: ['c.code', 's.section_no'],
  name: 'c.name',
  seats_left: { raw: '(s.capacity - s.enrolled_count)' },
};

const lenient = z.object(sortFields({ columns: COLUMNS, fallback: 'code' }));
const strict = z.object(sortFields({ columns: COLUMNS, fallback: 'code', fallbackDir: 'desc', strict: true }));

describe('sortFields', () => {
  test.each([
    [{}, { sort: 'code', dir: 'asc' }],
    [
      { sort: '', dir: '' },
      { sort: 'code', dir: 'asc' },
    ],
    [
      { sort: 'name', dir: 'desc' },
      { sort: 'name', dir: 'desc' },
    ],
    [{ sort: 'seats_left' }, { sort: 'seats_left', dir: 'asc' }],
    [
      { sort: 'password_hash', dir: 'desc' },
      { sort: 'code', dir: 'desc' },
    ],
    [
      { sort: 'name; drop table users', dir: 'sideways' },
      { sort: 'code', dir: 'asc' },
    ],
    [{ sort: ['name', 'code'] }, { sort: 'code', dir: 'asc' }],
    [{ sort: 'constructor' }, { sort: 'code', dir: 'asc' }],
    [{ sort: 'NAME' }, { sort: 'code', dir: 'asc' }],
  ])('lenient %j reads as %j', (input, expected) => {
    expect(lenient.parse(input)).toEqual(expected);
  });

  it('strict: blanks take the defaults, anything unknown is refused', () => {
    expect(strict.parse({})).toEqual({ sort: 'code', dir: 'desc' });
    expect(strict.safeParse({ sort: 'password_hash' }).success).toBe(false);
    expect(strict.safeParse({ dir: 'up' }).success).toBe(false);
    const issue = strict.safeParse({ sort: 'x' }).error!.issues[0]!;
    expect(issue.path).toEqual(['sort']);
    expect(issue.message).toBe('validation.invalid');
  });
});

describe('orderBySort', () => {
  const db = knex({ client: 'better-sqlite3', useNullAsDefault: true });
  afterAll(() => db.destroy());
  const sql = (sort: Column, dir: 'asc' | 'desc', tiebreak?: string) =>
    orderBySort(db('sections as s'), { sort, dir }, SQL, tiebreak).toSQL().sql;

  it('orders by a column, then the tiebreak in the same direction', () => {
    expect(sql('name', 'desc', 's.id')).toBe('select * from `sections` as `s` order by `c`.`name` desc, `s`.`id` desc');
  });

  it('orders by several columns', () => {
    expect(sql('code', 'asc')).toBe(
      'select * from `sections` as `s` order by `c`.`code` asc, `s`.`section_no` asc, `id` asc',
    );
  });

  it('orders by a declared expression', () => {
    expect(sql('seats_left', 'desc', 's.id')).toBe(
      'select * from `sections` as `s` order by (s.capacity - s.enrolled_count) desc, `s`.`id` desc',
    );
  });

  it('refuses a name outside the whitelist even when a caller skipped the schema', () => {
    expect(() => orderBySort(db('t'), { sort: 'id; drop table t' as Column, dir: 'asc' }, SQL)).toThrow(
      /not a sortable column/,
    );
    expect(() => orderBySort(db('t'), { sort: 'toString' as Column, dir: 'asc' }, SQL)).toThrow(/not a sortable/);
  });

  it('never writes anything but asc or desc', () => {
    const text = orderBySort(db('t'), { sort: 'seats_left', dir: 'desc; --' as 'desc' }, SQL).toSQL().sql;
    expect(text).toBe('select * from `t` order by (s.capacity - s.enrolled_count) asc, `id` asc');
  });
});

describe('keptFilters', () => {
  it('keeps the named values, never the page, and shows the order actually used', () => {
    const query = { q: 'ma', page: '3', sort: 'bogus', dir: 'down', extra: 'x' };
    expect(keptFilters(query, ['q', 'sort', 'dir', 'size'], { sort: 'code', dir: 'asc' })).toEqual({
      q: 'ma',
      sort: 'code',
      dir: 'asc',
    });
  });

  it('adds no sort when the query named none', () => {
    expect(keptFilters({ q: 'ma' }, ['q', 'sort', 'dir'], { sort: 'code', dir: 'asc' })).toEqual({ q: 'ma' });
  });
});
