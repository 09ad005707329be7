// The process's pino logger: JSON lines (what scripts, log files and collectors parse) or, for a person
// at a development terminal, one short line per event (`12:01:02 GET /students 200 12ms`).
import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config';

export type LogFormat = 'json' | 'pretty';

/** Where lines go: stdout, or a test's sink. */
interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Keys every pino line has; the pretty line shows the time and level its own way and drops the rest. */
const BASE_KEYS = new Set(['level', 'time', 'pid', 'hostname', 'msg']);
/** Arrays longer than this print as their length (the migration list at first start-up is ~30 names). */
const ARRAY_SHOWN = 3;

/** LOG_FORMAT when set; otherwise pretty only on a terminal outside production, JSON everywhere else. */
export function chooseLogFormat(config: Pick<Config, 'logFormat' | 'isProduction'>, isTTY: boolean): LogFormat {
  if (config.logFormat) return config.logFormat;
  return isTTY && !config.isProduction ? 'pretty' : 'json';
}

const two = (n: number) => String(n).padStart(2, '0');

/** The wall-clock time of this machine: a person at the terminal reads it against their own clock. */
function clock(time: unknown): string {
  const date = new Date(typeof time === 'number' ? time : Date.now());
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

function showValue(value: unknown): string {
  if (Array.isArray(value) && value.length > ARRAY_SHOWN) return `[${value.length} items]`;
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

interface LoggedError {
  message?: string;
  stack?: string;
}
type Entry = Record<string, unknown> & {
  level?: number;
  msg?: string;
  err?: LoggedError;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
};

/** One pino entry as a short line: a request as method, path, status and time; anything else as its message and fields. */
export function formatLogLine(entry: Entry): string {
  const level = typeof entry.level === 'number' ? entry.level : 30;
  const label = level === 30 ? '' : `${(pino.levels.labels[level] ?? String(level)).toUpperCase()} `;
  const time = clock(entry.time);
  const errMessage = entry.err?.message;
  if (entry.req && entry.res && typeof entry.responseTime === 'number') {
    const status = entry.res.statusCode ?? '-';
    const line = `${time} ${entry.req.method ?? '?'} ${entry.req.url ?? '?'} ${status} ${Math.round(entry.responseTime)}ms`;
    return errMessage ? `${line} ${label}${errMessage}` : line;
  }
  const fields = Object.entries(entry)
    .filter(([key, value]) => !BASE_KEYS.has(key) && key !== 'err' && value !== undefined)
    .map(([key, value]) => ` ${key}=${showValue(value)}`)
    .join('');
  const err = errMessage ? ` err=${showValue(errMessage)}` : '';
  const stack = level >= 50 && entry.err?.stack ? `\n${entry.err.stack}` : '';
  return `${time} ${label}${entry.msg ?? ''}${fields}${err}${stack}`;
}

/** A pino destination writing each entry as formatLogLine's line; a line that is not JSON passes through. */
export function prettyStream(out: Output): DestinationStream {
  return {
    write(text: string) {
      for (const raw of text.split('\n')) {
        if (raw === '') continue;
        let entry: Entry;
        try {
          entry = JSON.parse(raw) as Entry;
        } catch {
          out.write(`${raw}\n`);
          continue;
        }
        out.write(`${formatLogLine(entry)}\n`);
      }
    },
  };
}

/** The logger of the process, in the format chooseLogFormat picks for `out` (stdout: pino's own fast writer). */
export function createLogger(
  config: Pick<Config, 'logLevel' | 'logFormat' | 'isProduction'>,
  out: Output = process.stdout,
): Logger {
  const options = { level: config.logLevel };
  if (chooseLogFormat(config, out.isTTY === true) === 'pretty') return pino(options, prettyStream(out));
  return out === process.stdout ? pino(options) : pino(options, out);
}
