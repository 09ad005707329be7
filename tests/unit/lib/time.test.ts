// The university's clock: stored UTC text, wall time <-> UTC with daylight-saving changes settled one
// fixed way, calendar days, ISO instants and the course-selection window.
import {
  addDays,
  DATE_PATTERN,
  DATETIME_PATTERN,
  instantToUtc,
  isSelectionOpen,
  isWallTime,
  parseInstant,
  selectionState,
  sqlNow,
  startOfDayUtc,
  utcToWallTime,
  WALL_TIME_PATTERN,
  wallTimeToUtc,
  zoneOffset,
} from '../../../src/lib/time';

describe('stored UTC text', () => {
  it('writes an instant as UTC YYYY-MM-DD HH:MM:SS, dropping fractions, from a Date or epoch ms', () => {
    expect(sqlNow(new Date('2026-09-01T08:00:00.999Z'))).toBe('2026-09-01 08:00:00');
    expect(sqlNow(Date.parse('2026-12-31T23:59:59Z'))).toBe('2026-12-31 23:59:59');
  });

  it('defaults to now', () => {
    const before = sqlNow(Date.now() - 1000);
    const now = sqlNow();
    expect(now >= before).toBe(true);
    expect(now).toMatch(WALL_TIME_PATTERN);
  });
});

describe('wall time in a zone -> stored UTC', () => {
  it('moves Beijing time back eight hours, across midnight, a month and a year end', () => {
    expect(wallTimeToUtc('2026-09-01T09:00', 'Asia/Shanghai')).toBe('2026-09-01 01:00:00');
    expect(wallTimeToUtc('2026-09-01T07:30', 'Asia/Shanghai')).toBe('2026-08-31 23:30:00');
    expect(wallTimeToUtc('2027-01-01T00:00', 'Asia/Shanghai')).toBe('2026-12-31 16:00:00');
    expect(wallTimeToUtc('2026-09-01 09:00:30', 'Asia/Shanghai')).toBe('2026-09-01 01:00:30');
    expect(wallTimeToUtc('2026-09-01T09:00', 'UTC')).toBe('2026-09-01 09:00:00');
  });

  it('reads summer and winter time of a zone with daylight saving', () => {
    expect(wallTimeToUtc('2026-07-01T12:00', 'Europe/London')).toBe('2026-07-01 11:00:00');
    expect(wallTimeToUtc('2026-12-01T12:00', 'Europe/London')).toBe('2026-12-01 12:00:00');
    expect(wallTimeToUtc('2026-07-01T12:00', 'America/New_York')).toBe('2026-07-01 16:00:00');
  });

  it('moves a time the clocks skip forward by the gap', () => {
    // London: 01:00 GMT becomes 02:00 BST on 29 March 2026; 01:30 is never shown, 02:30 BST is meant.
    expect(wallTimeToUtc('2026-03-29T01:30', 'Europe/London')).toBe('2026-03-29 01:30:00');
    expect(utcToWallTime('2026-03-29 01:30:00', 'Europe/London')).toBe('2026-03-29T02:30');
    expect(utcToWallTime('2026-03-29 01:30:07', 'Europe/London', { seconds: true })).toBe('2026-03-29T02:30:07');
    // New York: 02:00 EST becomes 03:00 EDT on 8 March 2026.
    expect(wallTimeToUtc('2026-03-08T02:30', 'America/New_York')).toBe('2026-03-08 07:30:00');
    expect(wallTimeToUtc('2026-03-08T03:00', 'America/New_York')).toBe('2026-03-08 07:00:00');
  });

  it('takes the earlier of a time the clocks show twice', () => {
    // London: 02:00 BST becomes 01:00 GMT on 25 October 2026; 01:30 comes first at 00:30 UTC.
    expect(wallTimeToUtc('2026-10-25T01:30', 'Europe/London')).toBe('2026-10-25 00:30:00');
    expect(wallTimeToUtc('2026-10-25T02:00', 'Europe/London')).toBe('2026-10-25 02:00:00');
    // New York: 02:00 EDT becomes 01:00 EST on 1 November 2026.
    expect(wallTimeToUtc('2026-11-01T01:30', 'America/New_York')).toBe('2026-11-01 05:30:00');
  });

  it('refuses what is not a wall time', () => {
    for (const bad of ['', 'tomorrow', '2026-02-30T09:00', '2026-09-01T24:00', '2026-09-01', '2026-09-01T09:00Z'])
      expect(wallTimeToUtc(bad, 'Asia/Shanghai')).toBeUndefined();
    expect(isWallTime('2026-09-01T09:00')).toBe(true);
    expect(isWallTime('2026-09-01T09:00+08:00')).toBe(false);
  });
});

describe('stored UTC -> wall time for a datetime-local input', () => {
  it('shows Beijing time and round-trips', () => {
    expect(utcToWallTime('2026-09-01 01:00:00', 'Asia/Shanghai')).toBe('2026-09-01T09:00');
    expect(utcToWallTime('2026-12-31 16:00:00', 'Asia/Shanghai')).toBe('2027-01-01T00:00');
    for (const wall of ['2026-02-28T23:59', '2026-10-25T00:59', '2026-06-15T12:34'])
      expect(utcToWallTime(wallTimeToUtc(wall, 'Europe/London'), 'Europe/London')).toBe(wall);
  });

  it('shows both sides of an overlap as the clock did', () => {
    expect(utcToWallTime('2026-10-25 00:30:00', 'Europe/London')).toBe('2026-10-25T01:30');
    expect(utcToWallTime('2026-10-25 01:30:00', 'Europe/London')).toBe('2026-10-25T01:30');
  });

  it('leaves blanks and nonsense empty', () => {
    expect(utcToWallTime(null, 'Asia/Shanghai')).toBe('');
    expect(utcToWallTime('', 'Asia/Shanghai')).toBe('');
    expect(utcToWallTime('soon', 'Asia/Shanghai')).toBe('');
  });
});

describe('ISO 8601 instants with an offset', () => {
  it('reads +08:00, Z, -05:00, a compact offset and fractions', () => {
    expect(instantToUtc('2026-09-01T09:00:00+08:00')).toBe('2026-09-01 01:00:00');
    expect(instantToUtc('2026-09-01T09:00+0800')).toBe('2026-09-01 01:00:00');
    expect(instantToUtc('2026-09-01T01:00:00Z')).toBe('2026-09-01 01:00:00');
    expect(instantToUtc('2026-09-01T01:00:00.250z')).toBe('2026-09-01 01:00:00');
    expect(instantToUtc('2026-08-31T20:00:00-05:00')).toBe('2026-09-01 01:00:00');
  });

  it('gives nothing without an offset or for an impossible one', () => {
    expect(instantToUtc('2026-09-01T09:00:00')).toBeUndefined();
    expect(instantToUtc('2026-09-01T09:00:00+25:00')).toBeUndefined();
    expect(instantToUtc('2026-02-30T09:00:00Z')).toBeUndefined();
  });
});

describe('days and offsets', () => {
  it('starts a day at midnight on the zone clock', () => {
    expect(startOfDayUtc('2027-01-21', 'Asia/Shanghai')).toBe('2027-01-20 16:00:00');
    expect(startOfDayUtc('2026-03-02', 'Asia/Shanghai')).toBe('2026-03-01 16:00:00');
    expect(startOfDayUtc('2026-07-01', 'Europe/London')).toBe('2026-06-30 23:00:00');
    expect(startOfDayUtc('2026-07-01', 'UTC')).toBe('2026-07-01 00:00:00');
    expect(startOfDayUtc('2026-03-02', 'UTC')).toBe('2026-03-02 00:00:00');
    expect(startOfDayUtc('2026-11-25', 'America/New_York')).toBe('2026-11-25 05:00:00');
  });

  it('starts a day on which the clocks change at its midnight, before the change (as the audit filter did)', () => {
    expect(startOfDayUtc('2026-03-08', 'America/New_York')).toBe('2026-03-08 05:00:00'); // forward at 02:00
    expect(startOfDayUtc('2026-03-09', 'America/New_York')).toBe('2026-03-09 04:00:00');
    expect(startOfDayUtc('2026-11-01', 'America/New_York')).toBe('2026-11-01 04:00:00'); // back at 02:00
    expect(startOfDayUtc('2026-03-29', 'Europe/London')).toBe('2026-03-29 00:00:00'); // forward at 01:00
    expect(startOfDayUtc('2026-10-25', 'Europe/London')).toBe('2026-10-24 23:00:00'); // back at 02:00
    expect(startOfDayUtc('2026-10-26', 'Europe/London')).toBe('2026-10-26 00:00:00');
  });

  it('starts a day whose midnight the clocks skip at the moment they jump to', () => {
    // Chile springs forward at 00:00 -> 01:00: the day begins at 01:00 -03, not 23:00 the evening before.
    expect(startOfDayUtc('2026-09-06', 'America/Santiago')).toBe('2026-09-06 04:00:00');
    expect(utcToWallTime(startOfDayUtc('2026-09-06', 'America/Santiago'), 'America/Santiago')).toBe('2026-09-06T01:00');
  });

  it('refuses a day that does not exist', () => {
    expect(startOfDayUtc('2026-02-30', 'UTC')).toBeUndefined();
  });

  it('moves a calendar day by whole days across months, years and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-09-01', -183)).toBe('2026-03-02');
  });

  it('knows the offset at an instant', () => {
    expect(zoneOffset(Date.parse('2026-09-01T00:00:00Z'), 'Asia/Shanghai')).toBe(8 * 3_600_000);
    expect(zoneOffset(Date.parse('2026-03-29T00:59:59Z'), 'Europe/London')).toBe(0);
    expect(zoneOffset(Date.parse('2026-03-29T01:00:00Z'), 'Europe/London')).toBe(3_600_000);
  });
});

describe('ISO instants', () => {
  it('reads an offset or Z as that instant, and no offset as UTC', () => {
    expect(parseInstant('2026-09-01T09:00:00+08:00')).toBe(Date.parse('2026-09-01T01:00:00Z'));
    expect(parseInstant('2026-09-01T01:00:00.250Z')).toBe(Date.parse('2026-09-01T01:00:00.250Z'));
    expect(parseInstant('2026-09-01 01:00:00')).toBe(Date.parse('2026-09-01T01:00:00Z'));
    expect(parseInstant('2026-09-01T01:00')).toBe(Date.parse('2026-09-01T01:00:00Z'));
  });

  it('refuses what is not a date-time', () => {
    for (const bad of [
      '',
      'soon',
      '2026-09-01',
      '2026-02-30 09:00:00',
      '2026-09-01 24:00:00',
      '2026-09-01T09:00+24:00',
    ])
      expect(parseInstant(bad)).toBeUndefined();
  });
});

describe('the shared patterns', () => {
  it('tell a calendar day, a wall time and a date-time apart', () => {
    expect(DATE_PATTERN.test('2026-09-01')).toBe(true);
    expect(DATE_PATTERN.test('2026-09-01 00:00')).toBe(false);
    expect(WALL_TIME_PATTERN.test('2026-09-01 08:00:00')).toBe(true);
    expect(WALL_TIME_PATTERN.test('2026-09-01T08:00')).toBe(true);
    expect(WALL_TIME_PATTERN.test('2026-09-01T08:00Z')).toBe(false);
    expect(DATETIME_PATTERN.exec('2026-09-01T08:00:00.5+0800')?.slice(7)).toEqual(['5', '+0800']);
  });
});

describe('the course-selection window', () => {
  const at = (iso: string) => new Date(iso);
  const stored = { selection_opens_at: '2026-09-01 08:00:00', selection_closes_at: '2026-09-10 18:00:00' };
  const fromForm = { selection_opens_at: '2026-09-01T08:00', selection_closes_at: '2026-09-10T18:00' };

  it.each([
    ['stored UTC text', stored],
    ['a datetime-local value', fromForm],
  ])('opens inclusive and closes exclusive with %s', (_, window) => {
    expect(selectionState(window, at('2026-09-01T07:59:59.999Z'))).toBe('upcoming');
    expect(selectionState(window, at('2026-09-01T08:00:00Z'))).toBe('open');
    expect(selectionState(window, at('2026-09-10T17:59:59.999Z'))).toBe('open');
    expect(selectionState(window, at('2026-09-10T18:00:00Z'))).toBe('closed');
    expect(isSelectionOpen(window, at('2026-09-01T07:59:59Z'))).toBe(false);
    expect(isSelectionOpen(window, Date.parse('2026-09-01T08:00:00Z'))).toBe(true);
    expect(isSelectionOpen(window, at('2026-09-10T17:59:59Z'))).toBe(true);
    expect(isSelectionOpen(window, at('2026-09-10T18:00:00Z'))).toBe(false);
  });

  it('agrees across the two formats mixed in one window', () => {
    const mixed = { selection_opens_at: '2026-09-01T08:00', selection_closes_at: '2026-09-10 18:00:00' };
    expect(selectionState(mixed, at('2026-09-05T00:00:00Z'))).toBe('open');
  });

  it('is no window when either end is missing or unreadable', () => {
    for (const window of [
      { selection_opens_at: null, selection_closes_at: null },
      { selection_opens_at: '2026-09-01 08:00:00', selection_closes_at: null },
      { selection_opens_at: null, selection_closes_at: '2026-09-10 18:00:00' },
      { selection_opens_at: '', selection_closes_at: '2026-09-10 18:00:00' },
      { selection_opens_at: 'soon', selection_closes_at: '2026-09-10 18:00:00' },
    ]) {
      expect(selectionState(window, at('2026-09-05T00:00:00Z'))).toBe('none');
      expect(isSelectionOpen(window, at('2026-09-05T00:00:00Z'))).toBe(false);
    }
  });

  it('reads the clock when no time is given', () => {
    const hour = 3_600_000;
    const window = { selection_opens_at: sqlNow(Date.now() - hour), selection_closes_at: sqlNow(Date.now() + hour) };
    expect(selectionState(window)).toBe('open');
    expect(isSelectionOpen(window)).toBe(true);
  });
});
