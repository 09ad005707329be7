// Wall-clock times in the university's zone (config TIME_ZONE) <-> the UTC 'YYYY-MM-DD HH:MM:SS' we store,
// and ISO 8601 instants with an explicit offset. Intl only: the zone rules are the runtime's own tz data.

const WALL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))$/i;
const DAY_MS = 86_400_000;

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

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** An instant as the stored UTC text 'YYYY-MM-DD HH:MM:SS'. */
export function toSqlUtc(at: number): string {
  return new Date(at).toISOString().slice(0, 19).replace('T', ' ');
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
  const m = WALL.exec(wall.trim());
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
  return at === undefined ? undefined : toSqlUtc(at);
}

/** Stored UTC 'YYYY-MM-DD HH:MM[:SS]' -> 'YYYY-MM-DDTHH:MM' on the zone's clock (a datetime-local value); '' when empty or unreadable. */
export function utcToWallTime(utc: string | null | undefined, timeZone: string): string {
  const m = utc ? WALL.exec(utc.trim()) : null;
  if (!m) return '';
  const at = wallMillis(m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6]);
  if (at === undefined) return '';
  const wall = new Date(at + zoneOffset(at, timeZone));
  const date = `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}`;
  return `${date}T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}`;
}

/** Whether the text is a wall time with no offset ('2026-09-01T09:00'), as a form's datetime-local sends. */
export function isWallTime(text: string): boolean {
  return WALL.test(text.trim());
}

/**
 * ISO 8601 with an explicit offset or Z ('2026-09-01T08:00:00+08:00', '2026-09-01T00:00Z') -> stored UTC
 * 'YYYY-MM-DD HH:MM:SS'; fractions of a second are dropped. Undefined without an offset or when unreadable.
 */
export function instantToUtc(text: string): string | undefined {
  const m = INSTANT.exec(text.trim());
  if (!m) return undefined;
  const local = wallMillis(m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6]);
  if (local === undefined) return undefined;
  if (m[7]) return toSqlUtc(local);
  const hours = Number(m[9]);
  const minutes = Number(m[10]);
  if (hours > 23 || minutes > 59) return undefined;
  const offset = (m[8] === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
  return toSqlUtc(local - offset);
}

/** Stored UTC of the first instant of calendar day `day` ('YYYY-MM-DD') on the zone's clock. */
export function startOfDayUtc(day: string, timeZone: string): string | undefined {
  return wallTimeToUtc(`${day}T00:00`, timeZone);
}
