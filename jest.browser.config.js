/**
 * Browser tests: Debian's Chromium drives Microsoft 365 Agents Playground talking to the bot in demo
 * mode. Slow and needs Chromium, so they run apart from `npm test`, one file at a time (--runInBand).
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/browser'],
  testMatch: ['**/*.browser.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testTimeout: 180000,
  maxWorkers: 1,
};
