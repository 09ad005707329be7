// The university's clock in one place: the UTC 'YYYY-MM-DD HH:MM:SS' text we store (MySQL DATETIME and
// SQLite alike), wall times in a zone (config TIME_ZONE) <-> UTC, ISO 8601 instants, calendar days and
// the course-selection window. Intl only: the zone rules are the runtime's own tz data.

/** A calendar day 'YYYY-MM-DD' (a DATE column, a date input). */
export const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A wall time without offset, 'YYYY-MM-DDTHH:MM[:SS]' or 'YYYY-MM-DD HH:MM[:SS]' (datetime-local, stored UTC). */
export const WALL_TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;
/** A date-time with optional seconds, fraction (group 7) and offset (group 8: Z, +08:00, -0500). */
export const DATETIME_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

const DAY_MS = 86_400_000;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** An instant (now by default) as the stored UTC text 'YYYY-MM-DD HH:MM:SS'; fractions of a second are dropped. */
export function sqlNow(at: Date | number = Date.now()): string {
  return new Date(at).toISOString().slice(0, 19).replace('T', ' ');
}

/** 'YYYY-MM-DD' moved by whole calendar days. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

const walls = new Map<string, Intl.DateTimeFormat>();

function wallFormat(timeZone: string): Intl.DateTimeFormat {
  let format = walls.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    walls.set(timeZone, format);
  }
  return format;
}

/** Milliseconds the zone's clock is ahead of UTC at the instant `at` (+8 h for Asia/Shanghai). */
export function zoneOffset(at: number, timeZone: string): number {
  const parts = wallFormat(timeZone).formatToParts(new Date(at));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - Math.floor(at / 1000) * 1000;
}

/** The wall-clock fields as milliseconds "as if UTC"; undefined for a day or time that does not exist. */
function wallMillis(y: string, mo: string, d: string, h: string, mi: string, s = '00'): number | undefined {
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as number[];
  if (hour! > 23 || minute! > 59 || second! > 59) return undefined;
  const ms = Date.UTC(year!, month! - 1, day!, hour, minute, second);
  const back = new Date(ms);
  // Date.UTC rolls 2026-02-30 over to March: refuse rather than store another day.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month! - 1 || back.getUTCDate() !== day)
    return undefined;
  return ms;
}

/**
 * The instant at which the zone's clock shows `wall` ('YYYY-MM-DDTHH:MM[:SS]', as a datetime-local input
 * sends it). Deterministic at daylight-saving changes, like Temporal's 'compatible': a time the clocks
 * skip (a gap) is moved forward by the gap's length; a time shown twice (an overlap) is the earlier one.
 */
export function wallTimeToInstant(wall: string, timeZone: string): number | undefined {
  const m = WALL_TIME_PATTERN.exec(wall.trim());
  if (!m) return undefined;
  const local = wallMillis(m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6]);
  if (local === undefined) return undefined;
  const before = zoneOffset(local - DAY_MS, timeZone);
  const after = zoneOffset(local + DAY_MS, timeZone);
  const fits = [...new Set([before, after])]
    .map((offset) => local - offset)
    .filter((at) => at + zoneOffset(at, timeZone) === local)
    .sort((a, b) => a - b);
  // In a gap no offset fits: the offset in force before it carries the wall time past the change.
  return fits[0] ?? local - before;
}

/** 'YYYY-MM-DDTHH:MM[:SS]' on the zone's clock -> stored UTC 'YYYY-MM-DD HH:MM:SS'; undefined when unreadable. */
export function wallTimeToUtc(wall: string, timeZone: string): string | undefined {
  const at = wallTimeToInstant(wall, timeZone);
  return at === undefined ? undefined : sqlNow(at);
}

/**
 * Stored UTC 'YYYY-MM-DD HH:MM[:SS]' -> 'YYYY-MM-DDTHH:MM' on the zone's clock (a datetime-local value;
 * with `seconds`, 'YYYY-MM-DDTHH:MM:SS'); '' when empty or unreadable.
 */
export function utcToWallTime(
  utc: string | null | undefined,
  timeZone: string,
  options: { seconds?: boolean } = {},
): string {
  const m = utc ? WALL_TIME_PATTERN.exec(utc.trim()) : null;
  if (!m) return '';
  const at = wallMillis(m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6]);
  if (at === undefined) return '';
  const wall = new Date(at + zoneOffset(at, timeZone));
  const date = `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}`;
  const time = `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}`;
  return options.seconds ? `${date}T${time}:${pad(wall.getUTCSeconds())}` : `${date}T${time}`;
}

/** Whether the text is a wall time with no offset ('2026-09-01T09:00'), as a form's datetime-local sends. */
export function isWallTime(text: string): boolean {
  return WALL_TIME_PATTERN.test(text.trim());
}

/**
 * An ISO 8601 date-time -> epoch ms. With an offset or Z ('2026-09-01T08:00:00+08:00') it is that instant;
 * without one ('YYYY-MM-DD HH:MM:SS', 'YYYY-MM-DDTHH:MM', as stored) it is UTC. Undefined when unreadable.
 */
export function parseInstant(text: string): number | undefined {
  const m = DATETIME_PATTERN.exec(text.trim());
  if (!m) return undefined;
  const local = wallMillis(m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6]);
  if (local === undefined) return undefined;
  const fraction = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const zone = m[8];
  if (!zone || zone.toUpperCase() === 'Z') return local + fraction;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(-2));
  if (hours > 23 || minutes > 59) return undefined;
  return local - (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes) * 60_000 + fraction;
}

/**
 * ISO 8601 with an explicit offset or Z ('2026-09-01T08:00:00+08:00', '2026-09-01T00:00Z') -> stored UTC
 * 'YYYY-MM-DD HH:MM:SS'; fractions of a second are dropped. Undefined without an offset or when unreadable.
 */
export function instantToUtc(text: string): string | undefined {
  if (!DATETIME_PATTERN.exec(text.trim())?.[8]) return undefined;
  const at = parseInstant(text);
  return at === undefined ? undefined : sqlNow(at);
}

/**
 * Stored UTC of the first instant of calendar day `day` ('YYYY-MM-DD') on the zone's clock: its midnight,
 * or, where the clocks skip midnight (America/Santiago in September), the moment they jump to.
 */
export function startOfDayUtc(day: string, timeZone: string): string | undefined {
  return wallTimeToUtc(`${day}T00:00`, timeZone);
}

export interface SelectionWindow {
  selection_opens_at: string | null;
  selection_closes_at: string | null;
}

export type SelectionState = 'none' | 'upcoming' | 'open' | 'closed';

/**
 * Where `now` stands against a course-selection window: it opens inclusive and closes exclusive. Stored
 * values are UTC 'YYYY-MM-DD HH:MM:SS' (or 'YYYY-MM-DDTHH:MM', as a form once stored them); a window
 * missing either end, or with an unreadable one, is 'none'.
 */
export function selectionState(window: SelectionWindow, now: Date | number = Date.now()): SelectionState {
  const opens = window.selection_opens_at ? parseInstant(window.selection_opens_at) : undefined;
  const closes = window.selection_closes_at ? parseInstant(window.selection_closes_at) : undefined;
  if (opens === undefined || closes === undefined) return 'none';
  const at = new Date(now).getTime();
  if (at < opens) return 'upcoming';
  return at < closes ? 'open' : 'closed';
}

/** Whether the window holds `now` (see selectionState); no window, closed. */
export function isSelectionOpen(window: SelectionWindow, now: Date | number = Date.now()): boolean {
  return selectionState(window, now) === 'open';
}
