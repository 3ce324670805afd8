/**
 * Every log line any test file produces is also kept here, whatever level or destination the test
 * chose, and scanned after the file's tests: a full phone number, a code, a token or a secret in any
 * of them fails the run. Together the files cover the complete log output of the suite.
 */
import { Writable } from 'node:stream';
import { findSensitive } from './sensitive-values';

const captured: string[] = [];

jest.mock('../../src/logging/logger', () => {
  const actual = jest.requireActual<typeof import('../../src/logging/logger')>('../../src/logging/logger');
  const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };
  return {
    ...actual,
    createLogger: (options: import('../../src/logging/logger').LoggerOptions) => {
      const wanted = LEVELS[options.level] ?? 30;
      // Log at trace into the tee, and pass on only what the test asked for.
      const tee = new Writable({
        write(chunk: Buffer, _encoding, done) {
          const line = String(chunk);
          captured.push(line);
          const level = Number((/"level":(\d+)/.exec(line) ?? [])[1] ?? 30);
          if (options.destination && level >= wanted) options.destination.write(line);
          done();
        },
      });
      const logger = actual.createLogger({ ...options, level: 'trace', pretty: false, destination: tee });
      return logger;
    },
  };
});

afterAll(() => {
  const found = findSensitive(captured.join(''));
  if (found.length > 0) throw new Error(`The logs of this test file hold sensitive values:\n${found.slice(0, 10).join('\n')}`);
});
