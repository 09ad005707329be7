// Three projects: `embedded` (SQLite, in-process sessions: no outside service) for `npm test`, and
// `services` (the same integration suites plus MySQL-only ones, on MariaDB and Redis) for `npm run test:services`, and
// `cluster` (real nginx, three node processes, MariaDB, Redis) for `npm run test:cluster`, and `e2e` (browser journeys
// in Debian's headless Chromium on an in-process app) for `npm run test:e2e`.
const transform = { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] };
const common = { testEnvironment: 'node', transform, moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'embedded',
      testMatch: ['<rootDir>/tests/unit/**/*.test.ts', '<rootDir>/tests/integration/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'services',
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts', '<rootDir>/tests/services/**/*.test.ts'],
      globals: { TEST_TARGET: 'mysql' },
    },
    {
      ...common,
      displayName: 'cluster',
      testMatch: ['<rootDir>/tests/cluster/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'],
    },
  ],
};
