/** Jest runs the TypeScript tests directly; type errors are caught by `npm run typecheck`. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The browser suite needs Chromium and runs on its own: npm run test:browser.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/browser/'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testTimeout: 30000,
  // One Azurite per run on a port of its own choosing; its connection string reaches every worker
  // through the environment (AZURITE_CONNECTION_STRING).
  globalSetup: '<rootDir>/test/support/azurite-global-setup.ts',
  globalTeardown: '<rootDir>/test/support/azurite-global-teardown.ts',
  // Every test file's complete log output is scanned for numbers, codes, tokens and secrets.
  setupFilesAfterEnv: ['<rootDir>/test/support/scan-logs.ts'],
};
