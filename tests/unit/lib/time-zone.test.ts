// The university's wall clock <-> stored UTC, with daylight-saving changes settled one fixed way.
import {
  instantToUtc,
  isWallTime,
  startOfDayUtc,
  utcToWallTime,
  wallTimeToUtc,
  zoneOffset,
} from '../../../src/lib/time-zone';

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
    expect(startOfDayUtc('2026-07-01', 'Europe/London')).toBe('2026-06-30 23:00:00');
    expect(startOfDayUtc('2026-07-01', 'UTC')).toBe('2026-07-01 00:00:00');
  });

  it('knows the offset at an instant', () => {
    expect(zoneOffset(Date.parse('2026-09-01T00:00:00Z'), 'Asia/Shanghai')).toBe(8 * 3_600_000);
    expect(zoneOffset(Date.parse('2026-03-29T00:59:59Z'), 'Europe/London')).toBe(0);
    expect(zoneOffset(Date.parse('2026-03-29T01:00:00Z'), 'Europe/London')).toBe(3_600_000);
  });
});
