/**
 * Four tiers (README, "Tests"): unit (pure logic, no I/O) and medium (services against the real
 * MariaDB and Redis, no HTTP) and e2e (the app over HTTP, providers faked on 127.0.0.1) run in
 * parallel, each file on its own database and key prefix; then, in band, the fault tests (which
 * kill and flush servers of their own) and last the canary check. `test/run-tiers.ts` runs them.
 */
const shared = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { astTransformers: { before: ['<rootDir>/test/support/swagger-plugin.js'] } }],
  },
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...shared, displayName: 'medium', testMatch: ['<rootDir>/test/medium/**/*.medium-spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/lag-probe.ts'],
    },
    {
      ...shared,
      displayName: 'last',
      testMatch: ['<rootDir>/test/**/*.fault-spec.ts', '<rootDir>/test/**/*.last-spec.ts'],
    },
  ],
  testSequencer: '<rootDir>/test/support/sequencer.js',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
};
