import {
  canonicalTimeZone,
  DEFAULT_TIME_ZONE,
  formatterFor,
  isValidTimeZone,
  parseDateValue,
} from '../../../src/i18n/format';

const zh = formatterFor('zh-CN', 'Asia/Shanghai');
const en = formatterFor('en', 'Asia/Shanghai');

describe('dates and times per language, in the university time zone', () => {
  it('shows a stored UTC datetime in Beijing time in both languages', () => {
    expect(zh.dateTime('2026-11-25 13:17:00')).toBe('2026年11月25日 21:17');
    expect(en.dateTime('2026-11-25 13:17:00')).toBe('25 Nov 2026, 21:17');
  });

  it('moves the day forward when the zone is already past midnight', () => {
    expect(en.dateTime('2026-11-25 20:30:00')).toBe('26 Nov 2026, 04:30');
    expect(en.date('2026-11-25 20:30:00')).toBe('26 Nov 2026');
  });

  it('uses the configured zone, not the server one', () => {
    const london = formatterFor('en', 'Europe/London');
    expect(london.dateTime('2026-07-01 12:00:00')).toBe('1 Jul 2026, 13:00'); // summer time
    expect(london.dateTime('2026-12-01 12:00:00')).toBe('1 Dec 2026, 12:00');
    expect(formatterFor('en', 'UTC').dateTime('2026-11-25 13:17:00')).toBe('25 Nov 2026, 13:17');
    expect(zh.dateTime('2026-11-25 13:17:00', { timeZone: 'UTC' })).toBe('2026年11月25日 13:17');
  });

  it('shows seconds where they matter (heartbeats)', () => {
    expect(en.dateTime('2026-11-25T13:17:05.000Z', { seconds: true })).toBe('25 Nov 2026, 21:17:05');
    expect(zh.dateTime('2026-11-25 13:17:05', { seconds: true })).toBe('2026年11月25日 21:17:05');
  });

  it('accepts ISO strings with a zone and Date objects', () => {
    expect(en.dateTime('2026-11-25T13:17:00.123Z')).toBe('25 Nov 2026, 21:17');
    expect(en.dateTime('2026-11-25T21:17:00+08:00')).toBe('25 Nov 2026, 21:17');
    expect(zh.dateTime(new Date(Date.UTC(2026, 10, 25, 13, 17)))).toBe('2026年11月25日 21:17');
  });

  it('never shifts a DATE column (a birth date is the same day everywhere)', () => {
    expect(zh.date('2005-03-01')).toBe('2005年3月1日');
    expect(en.date('2005-03-01')).toBe('1 Mar 2005');
    expect(formatterFor('en', 'America/Los_Angeles').date('2005-03-01')).toBe('1 Mar 2005');
    expect(formatterFor('en', 'Pacific/Kiritimati').date('2005-12-31')).toBe('31 Dec 2005');
  });

  it('gives <time datetime> a machine-readable value', () => {
    expect(en.iso('2026-11-25 13:17:00')).toBe('2026-11-25T13:17:00Z');
    expect(en.iso('2005-03-01')).toBe('2005-03-01');
    expect(en.iso(null)).toBe('');
    expect(en.iso('soon')).toBe('');
    expect(en.isoDate('2026-11-25 20:30:00')).toBe('2026-11-26'); // already the 26th in Beijing
    expect(en.isoDate(new Date(Date.UTC(2026, 0, 5, 1)))).toBe('2026-01-05');
    expect(en.isoDate('2005-03-01')).toBe('2005-03-01');
    expect(en.isoDate(undefined)).toBe('');
  });

  it('shows a dash for blanks', () => {
    for (const blank of [null, undefined, '']) {
      expect(zh.dateTime(blank)).toBe('—');
      expect(en.date(blank)).toBe('—');
      expect(en.number(blank)).toBe('—');
      expect(en.percent(blank)).toBe('—');
    }
  });

  it('shows unreadable values as they are instead of throwing', () => {
    expect(en.dateTime('not a date')).toBe('not a date');
    expect(en.date('2026-02-30')).toBe('2026-02-30');
    expect(en.dateTime('2026-02-30 10:00:00')).toBe('2026-02-30 10:00:00');
    expect(en.dateTime('2026-11-25 25:00:00')).toBe('2026-11-25 25:00:00');
    expect(en.dateTime(new Date('nope'))).toBe('Invalid Date');
    expect(en.number('abc')).toBe('abc');
    expect(parseDateValue(42 as unknown as string)).toBeUndefined();
  });

  it('names the zone once for a page note', () => {
    expect(en.zoneLabel).toBe('China Standard Time (Asia/Shanghai)');
    expect(zh.zoneLabel).toBe('中国标准时间（Asia/Shanghai）');
    expect(formatterFor('en', 'UTC').zoneLabel).toMatch(/UTC/);
  });
});

describe('numbers per language', () => {
  it('groups thousands and fixes decimals when asked', () => {
    expect(en.number(12345)).toBe('12,345');
    expect(zh.number(12345)).toBe('12,345');
    expect(en.number(3.456, 2)).toBe('3.46');
    expect(zh.number(3, 2)).toBe('3.00');
    expect(en.number(88.25, 1)).toBe('88.3');
    expect(en.number('3.0')).toBe('3'); // MySQL DECIMAL arrives as a string
  });

  it('shows ratios as percentages', () => {
    expect(en.percent(0.857)).toBe('86%');
    expect(zh.percent(0.857, 1)).toBe('85.7%');
    expect(en.percent(1)).toBe('100%');
  });
});

describe('time zone names', () => {
  it('knows IANA zones and canonicalises their spelling', () => {
    expect(DEFAULT_TIME_ZONE).toBe('Asia/Shanghai');
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(canonicalTimeZone('asia/shanghai')).toBe('Asia/Shanghai');
  });

  it('hands out one formatter per language and zone', () => {
    expect(formatterFor('en', 'Asia/Shanghai')).toBe(en);
    expect(formatterFor('zh-CN', 'UTC')).not.toBe(zh);
  });
});
