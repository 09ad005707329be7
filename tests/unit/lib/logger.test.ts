import { chooseLogFormat, createLogger, formatLogLine } from '../../../src/lib/logger';

/** A terminal or a file/pipe, keeping what was written. */
function sink(isTTY: boolean) {
  const lines: string[] = [];
  return { isTTY, lines, write: (text: string) => lines.push(...text.split('\n').filter(Boolean)) };
}
const at = (h: number, m: number, s: number) => new Date(2026, 11, 4, h, m, s).getTime();

describe('the log format', () => {
  it.each([
    [{ logFormat: undefined, isProduction: false }, true, 'pretty'],
    [{ logFormat: undefined, isProduction: false }, false, 'json'],
    [{ logFormat: undefined, isProduction: true }, true, 'json'],
    [{ logFormat: 'json' as const, isProduction: false }, true, 'json'],
    [{ logFormat: 'pretty' as const, isProduction: false }, false, 'pretty'],
    [{ logFormat: 'pretty' as const, isProduction: true }, false, 'pretty'],
  ])('for %j on a terminal: %s gives %s', (config, isTTY, format) => {
    expect(chooseLogFormat(config, isTTY)).toBe(format);
  });
});

describe('a pretty log line', () => {
  it('shows a request as time, method, path, status and duration', () => {
    const entry = {
      level: 30,
      time: at(12, 1, 2),
      pid: 1,
      hostname: 'vm',
      req: { id: 'n1-1', method: 'GET', url: '/students?q=li', headers: { cookie: '[redacted]' } },
      res: { statusCode: 200, headers: {} },
      responseTime: 12.4,
      msg: 'request completed',
    };
    expect(formatLogLine(entry)).toBe('12:01:02 GET /students?q=li 200 12ms');
  });

  it("adds a failed request's error and its level", () => {
    const entry = {
      level: 50,
      time: at(9, 5, 0),
      req: { method: 'POST', url: '/students' },
      res: { statusCode: 500 },
      responseTime: 3,
      err: { message: 'boom', stack: 'Error: boom\n    at x' },
      msg: 'request errored',
    };
    expect(formatLogLine(entry)).toBe('09:05:00 POST /students 500 3ms ERROR boom');
  });

  it('shows other events as their message and fields, long lists by their length, the level unless info', () => {
    expect(formatLogLine({ level: 30, time: at(8, 0, 0), applied: ['a', 'b', 'c', 'd'], msg: 'migrated' })).toBe(
      '08:00:00 migrated applied=[4 items]',
    );
    expect(
      formatLogLine({
        level: 40,
        time: at(8, 0, 1),
        reason: 'lag',
        lagMs: 150,
        note: 'two words',
        msg: 'request shed',
      }),
    ).toBe('08:00:01 WARN request shed reason=lag lagMs=150 note="two words"');
    expect(
      formatLogLine({
        level: 50,
        time: at(8, 0, 2),
        err: { message: 'bad', stack: 'Error: bad\n  at y' },
        msg: 'failed',
      }),
    ).toBe('08:00:02 ERROR failed err=bad\nError: bad\n  at y');
  });
});

describe('the process logger', () => {
  const dev = { logLevel: 'info', logFormat: undefined, isProduction: false };

  it('writes pretty lines on a development terminal', () => {
    const out = sink(true);
    createLogger(dev, out).info({ port: 3000 }, 'listening');
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).toMatch(/^\d\d:\d\d:\d\d listening port=3000$/);
  });

  it('writes JSON off a terminal, in production and with LOG_FORMAT=json', () => {
    for (const [config, isTTY] of [
      [dev, false],
      [{ ...dev, isProduction: true }, true],
      [{ ...dev, logFormat: 'json' as const }, true],
    ] as const) {
      const out = sink(isTTY);
      createLogger(config, out).info({ port: 3000 }, 'listening');
      expect(JSON.parse(out.lines[0]!)).toMatchObject({ level: 30, port: 3000, msg: 'listening' });
    }
  });

  it('writes pretty lines off a terminal with LOG_FORMAT=pretty, and keeps the level', () => {
    const out = sink(false);
    const logger = createLogger({ ...dev, logLevel: 'warn', logFormat: 'pretty' }, out);
    logger.info('not shown');
    logger.warn('shown');
    expect(out.lines).toEqual([expect.stringMatching(/^\d\d:\d\d:\d\d WARN shown$/)]);
  });
});
