import { ConfigError, loadConfig } from '../../src/config';

describe('configuration', () => {
  it('uses the CONTRACT.md defaults on an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe('0.0.0.0');
    expect(config.database).toEqual({ client: 'sqlite', filename: expect.stringMatching(/data\/sis\.sqlite3$/) });
    expect(config.redisUrl).toBeUndefined();
    expect(config.demoPassword).toBe('demo-password');
    expect(config.trustProxy).toBe('loopback, uniquelocal');
    expect(config.logLevel).toBe('info');
    expect(config.logFormat).toBeUndefined(); // chosen by the terminal (lib/logger.ts)
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads a MySQL database and Redis from their URLs', () => {
    const config = loadConfig({ DATABASE_URL: 'mysql://sis:pw@db:3306/sis', REDIS_URL: 'redis://redis:6379' });
    expect(config.database).toEqual({ client: 'mysql', url: 'mysql://sis:pw@db:3306/sis' });
    expect(config.redisUrl).toBe('redis://redis:6379');
  });

  it.each([
    [{ DATABASE_URL: 'postgres://x@y/z' }, 'DATABASE_URL must be a mysql:// URL'],
    [{ REDIS_URL: 'http://redis' }, 'REDIS_URL must be a redis:// URL'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ LOG_FORMAT: 'xml' }, 'LOG_FORMAT must be json or pretty'],
    [{ OVERLOAD_MAX_LAG_MS: '-1' }, 'OVERLOAD_MAX_LAG_MS'],
    [{ OVERLOAD_MAX_IN_FLIGHT: 'many' }, 'OVERLOAD_MAX_IN_FLIGHT'],
    [{ DB_IDLE_TRANSACTION_SECONDS: '1.5' }, 'DB_IDLE_TRANSACTION_SECONDS'],
    [{ NODE_ENV: 'production' }, 'SESSION_SECRET is required when NODE_ENV=production'],
    [{ NODE_ENV: 'production', SESSION_SECRET: 'short' }, 'at least 32 characters'],
    [
      { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), DEMO_PASSWORD: 'demo-password' },
      'DEMO_PASSWORD must not be "demo-password" in production',
    ],
  ])('refuses %j with one clear line', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('sheds load above 100 ms of event-loop lag or 128 requests in flight unless told otherwise (0: off)', () => {
    expect(loadConfig({}).overload).toEqual({ maxLagMs: 100, maxInFlight: 128 });
    expect(loadConfig({ OVERLOAD_MAX_LAG_MS: '0', OVERLOAD_MAX_IN_FLIGHT: '8' }).overload).toEqual({
      maxLagMs: 0,
      maxInFlight: 8,
    });
    expect(loadConfig({}).dbIdleTransactionSeconds).toBe(1);
    expect(loadConfig({ DB_IDLE_TRANSACTION_SECONDS: '0' }).dbIdleTransactionSeconds).toBe(0);
  });

  it('splits SESSION_SECRET for rotation: the first signs, all verify', () => {
    const config = loadConfig({
      SESSION_SECRET: 'new-secret-aaaaaaaaaaaaaaaaaaaaaaaaaa, old-secret-bbbbbbbbbbbbbbbbbbbbbbbbb',
    });
    expect(config.sessionSecrets).toEqual([
      'new-secret-aaaaaaaaaaaaaaaaaaaaaaaaaa',
      'old-secret-bbbbbbbbbbbbbbbbbbbbbbbbb',
    ]);
  });

  it('shows times in Asia/Shanghai unless TIME_ZONE names another IANA zone', () => {
    expect(loadConfig({}).timeZone).toBe('Asia/Shanghai');
    expect(loadConfig({ TIME_ZONE: '' }).timeZone).toBe('Asia/Shanghai');
    expect(loadConfig({ TIME_ZONE: 'Europe/London' }).timeZone).toBe('Europe/London');
    expect(loadConfig({ TIME_ZONE: ' utc ' }).timeZone).toBe('UTC');
    expect(loadConfig({ TIME_ZONE: 'asia/shanghai' }).timeZone).toBe('Asia/Shanghai');
  });

  it('refuses an unknown TIME_ZONE with one clear line', () => {
    expect(() => loadConfig({ TIME_ZONE: 'Beijing' })).toThrow(ConfigError);
    expect(() => loadConfig({ TIME_ZONE: 'Beijing' })).toThrow(
      /^TIME_ZONE must be an IANA time zone name such as Asia\/Shanghai or UTC$/,
    );
  });

  it('prints 示范大学 / Demonstration University on documents unless UNIVERSITY_NAME names the university', () => {
    expect(loadConfig({}).university).toEqual({ name: '示范大学', nameEn: 'Demonstration University' });
    expect(loadConfig({ UNIVERSITY_NAME: ' ', UNIVERSITY_NAME_EN: '' }).university).toEqual({
      name: '示范大学',
      nameEn: 'Demonstration University',
    });
    expect(Object.isFrozen(loadConfig({}).university)).toBe(true);
    expect(
      loadConfig({ UNIVERSITY_NAME: ' 北方理工大学 ', UNIVERSITY_NAME_EN: 'Northern Institute of Technology' })
        .university,
    ).toEqual({ name: '北方理工大学', nameEn: 'Northern Institute of Technology' });
    // A configured name is never printed as "Demonstration University" on English pages: without an English
    // name they show the name itself.
    expect(loadConfig({ UNIVERSITY_NAME: '北方理工大学' }).university).toEqual({
      name: '北方理工大学',
      nameEn: undefined,
    });
    expect(loadConfig({ UNIVERSITY_NAME_EN: 'Model University' }).university).toEqual({
      name: '示范大学',
      nameEn: 'Model University',
    });
    expect(loadConfig({ UNIVERSITY_NAME: '大'.repeat(100) }).university.name).toHaveLength(100);
  });

  it.each([
    ['UNIVERSITY_NAME', 'of 101 characters', '大'.repeat(101), /^UNIVERSITY_NAME must be at most 100 characters$/],
    ['UNIVERSITY_NAME_EN', 'of 101 characters', 'U'.repeat(101), /^UNIVERSITY_NAME_EN must be at most 100 characters$/],
    ['UNIVERSITY_NAME', 'over two lines', '北方\n理工大学', /^UNIVERSITY_NAME must be one line of text$/],
    ['UNIVERSITY_NAME_EN', 'with a tab', 'Northern\tInstitute', /^UNIVERSITY_NAME_EN must be one line of text$/],
  ])('refuses a %s %s with one clear line', (name, _what, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('never has a demo password in production', () => {
    const config = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'y'.repeat(40) });
    expect(config.demoPassword).toBeUndefined();
    expect(config.isProduction).toBe(true);
  });

  it('lets the migrate/seed CLI run in production without a session secret', () => {
    const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'mysql://u:p@db:3306/sis' }, 'cli');
    expect(config.isProduction).toBe(true);
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'mysql://u:p@db:3306/sis' })).toThrow(
      'SESSION_SECRET is required',
    );
  });
});
