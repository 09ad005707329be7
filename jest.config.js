// Three projects: `embedded` (SQLite, in-process sessions: no outside service) for `npm test`, and
// `services` (the same integration suites plus MySQL-only ones, on MariaDB and Redis) for `npm run test:services`, and
// `cluster` (real nginx, three node processes, MariaDB, Redis) for `npm run test:cluster`, and `e2e` (browser journeys
// in Debian's headless Chromium on an in-process app) for `npm run test:e2e`.
//
// Hooks and tests get a minute on the projects that talk to real services and 30 s on the embedded one
// (jest's 5 s default went by while a busy machine was still making a file's database and signing in); test-environment.ts closes whatever a file left open,
// so a failing run still ends. The services run migrates one template database (services-global-setup.ts)
// that every file clones.
const transform = { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] };
const common = {
  testEnvironment: '<rootDir>/tests/helpers/test-environment.ts',
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
};
const SERVICES_TIMEOUT_MS = 60_000;
const EMBEDDED_TIMEOUT_MS = 30_000;

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'embedded',
      testTimeout: EMBEDDED_TIMEOUT_MS,
      testMatch: ['<rootDir>/tests/unit/**/*.test.ts', '<rootDir>/tests/integration/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'services',
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts', '<rootDir>/tests/services/**/*.test.ts'],
      globals: { TEST_TARGET: 'mysql' },
      testTimeout: SERVICES_TIMEOUT_MS,
      globalSetup: '<rootDir>/tests/helpers/services-global-setup.ts',
      globalTeardown: '<rootDir>/tests/helpers/services-global-teardown.ts',
    },
    {
      ...common,
      displayName: 'cluster',
      testTimeout: SERVICES_TIMEOUT_MS,
      testMatch: ['<rootDir>/tests/cluster/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'],
    },
  ],
};
