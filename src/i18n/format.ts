// Dates, times and numbers as a reader of each language expects them, in the university's time zone.
// Stored datetimes are UTC 'YYYY-MM-DD HH:MM:SS' (MySQL dateStrings and SQLite alike); DATE columns are
// calendar days and are never shifted by a time zone.
import type { TFunction } from 'i18next';
import { DATE_PATTERN, DATETIME_PATTERN } from '../lib/time';
import type { Language } from './i18n';

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
const BLANK = '—';

/** en reads day-month-year with a month name and a 24-hour clock: unambiguous on both sides of the Atlantic. */
const LOCALE_OF: Record<Language, string> = { en: 'en-GB', 'zh-CN': 'zh-CN' };

export type DateInput = string | Date | null | undefined;
export type NumberInput = number | string | null | undefined;

export interface Formatter {
  readonly lang: Language;
  readonly timeZone: string;
  /** The zone's name in this language with its IANA id, e.g. "China Standard Time (Asia/Shanghai)". */
  readonly zoneLabel: string;
  /** A stored UTC datetime in the configured zone: "25 Nov 2026, 21:17" / "2026年11月25日 21:17". */
  /** `timeZone` overrides the configured zone (a value entered and labelled in UTC, say). */
  dateTime(value: DateInput, options?: { seconds?: boolean; timeZone?: string }): string;
  /** A calendar day ('YYYY-MM-DD' as is; a datetime is first moved into the configured zone). */
  date(value: DateInput): string;
  number(value: NumberInput, digits?: number): string;
  percent(ratio: NumberInput, digits?: number): string;
  /** The machine-readable value for `<time datetime>`: '2026-11-25T13:17:00Z' or '2026-11-25'; '' when unreadable. */
  iso(value: DateInput): string;
  /** The calendar day in the configured zone as 'YYYY-MM-DD' (a DATE as is); '' when unreadable. */
  isoDate(value: DateInput): string;
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** 'asia/shanghai' -> 'Asia/Shanghai'; throws RangeError for an unknown zone. */
export function canonicalTimeZone(zone: string): string {
  return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
}

type Parsed = { kind: 'day'; day: string; at: Date } | { kind: 'instant'; at: Date };

/** Reads a stored value; undefined when it is not a date at all (shown raw, never thrown). */
export function parseDateValue(value: DateInput): Parsed | null | undefined {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : { kind: 'instant', at: value };
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const day = DATE_PATTERN.exec(text);
  if (day) {
    const at = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
    // Date.UTC rolls 2026-02-30 over to March: refuse rather than show another day.
    return at.toISOString().slice(0, 10) === text ? { kind: 'day', day: text, at } : undefined;
  }
  const m = DATETIME_PATTERN.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '00', frac = '', zone] = m;
  if (Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  const offset =
    !zone || zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const ms = frac ? `.${frac.padEnd(3, '0').slice(0, 3)}` : '';
  const at = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${ms}${offset}`);
  if (Number.isNaN(at.getTime())) return undefined;
  // A day that does not exist (2026-02-30) would roll over; the wall-clock day must survive the round trip.
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCDate() !== Number(d)) return undefined;
  return { kind: 'instant', at };
}

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let found = cache.get(key) as T | undefined;
  if (!found) {
    found = make();
    cache.set(key, found);
  }
  return found;
}

type Precision = 'day' | 'minute' | 'second';

function dateTimeFormat(locale: string, timeZone: string, precision: Precision): Intl.DateTimeFormat {
  return cached(
    `dt|${locale}|${timeZone}|${precision}`,
    () =>
      new Intl.DateTimeFormat(locale, {
        timeZone,
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        ...(precision === 'day' ? {} : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const }),
        ...(precision === 'second' ? { second: '2-digit' as const } : {}),
      }),
  );
}

/** 'YYYY-MM-DD' of an instant as seen in `timeZone`. */
function dayIn(at: Date, timeZone: string): string {
  const parts = cached(
    `day|${timeZone}`,
    () => new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** One Intl.NumberFormat per locale and options, built once (building one costs far more than using it). */
export function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  return cached(`n|${locale}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(locale, options));
}

function zoneLabelOf(locale: string, timeZone: string): string {
  const [open, close] = locale === 'zh-CN' ? ['（', '）'] : [' (', ')'];
  const name = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'long' })
    .formatToParts(new Date())
    .find((p) => p.type === 'timeZoneName')?.value;
  return name && name !== timeZone ? `${name}${open}${timeZone}${close}` : timeZone;
}

function toNumber(value: NumberInput): number | null | undefined {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

const formatters = new Map<string, Formatter>();

export function formatterFor(lang: Language, timeZone: string = DEFAULT_TIME_ZONE): Formatter {
  const key = `${lang}|${timeZone}`;
  const existing = formatters.get(key);
  if (existing) return existing;
  const locale = LOCALE_OF[lang] ?? LOCALE_OF.en;
  const zoneLabel = zoneLabelOf(locale, timeZone);

  const formatter: Formatter = Object.freeze({
    lang,
    timeZone,
    zoneLabel,
    dateTime(value: DateInput, options?: { seconds?: boolean; timeZone?: string }) {
      const parsed = parseDateValue(value);
      if (parsed === null) return BLANK;
      if (parsed === undefined) return String(value);
      if (parsed.kind === 'day') return dateTimeFormat(locale, 'UTC', 'day').format(parsed.at);
      const zone = options?.timeZone ?? timeZone;
      return dateTimeFormat(locale, zone, options?.seconds ? 'second' : 'minute').format(parsed.at);
    },
    date(value: DateInput) {
      const parsed = parseDateValue(value);
      if (parsed === null) return BLANK;
      if (parsed === undefined) return String(value);
      // A calendar day is the same day everywhere: format it in UTC, where it was built.
      return dateTimeFormat(locale, parsed.kind === 'day' ? 'UTC' : timeZone, 'day').format(parsed.at);
    },
    number(value: NumberInput, digits?: number) {
      const n = toNumber(value);
      if (n === null) return BLANK;
      if (n === undefined) return String(value);
      const options: Intl.NumberFormatOptions =
        digits === undefined
          ? { maximumFractionDigits: 3 }
          : { minimumFractionDigits: digits, maximumFractionDigits: digits };
      return numberFormat(locale, options).format(n);
    },
    percent(ratio: NumberInput, digits = 0) {
      const n = toNumber(ratio);
      if (n === null) return BLANK;
      if (n === undefined) return String(ratio);
      return numberFormat(locale, {
        style: 'percent',
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }).format(n);
    },
    iso(value: DateInput) {
      const parsed = parseDateValue(value);
      if (!parsed) return '';
      return parsed.kind === 'day' ? parsed.day : `${parsed.at.toISOString().slice(0, 19)}Z`;
    },
    isoDate(value: DateInput) {
      const parsed = parseDateValue(value);
      if (!parsed) return '';
      return parsed.kind === 'day' ? parsed.day : dayIn(parsed.at, timeZone);
    },
  });
  formatters.set(key, formatter);
  return formatter;
}

/** The zone as a reader says it: 北京时间 / Beijing time for Asia/Shanghai, else its IANA name. */
export function zoneInWords(timeZone: string, t: TFunction): string {
  return timeZone === 'Asia/Shanghai' ? t('zone.beijing') : timeZone;
}
