import pino from 'pino';
import { prettyFactory } from 'pino-pretty';

export type Logger = pino.Logger;

/**
 * Paths that must never reach a log line even if someone passes a whole object by mistake.
 * Masking phone numbers is still the caller's job: this is the safety net.
 */
const REDACT_PATHS = [
  'code',
  '*.code',
  'digits',
  '*.digits',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'phoneNumber',
  '*.phoneNumber',
  'e164',
  '*.e164',
  // botbuilder-dialogs' DialogContextError carries the whole dialog stack with its state (a typed
  // number among it); the ids of the active and parent dialogs stay.
  'dialogContext.stack',
  '*.dialogContext.stack',
  '*.error.dialogContext.stack',
];

export interface LoggerOptions {
  readonly level: string;
  /** Human-readable lines for a developer console; JSON otherwise. */
  readonly pretty: boolean;
  /** Where lines go; defaults to stdout. Tests pass a sink to read the log; the demo holds start-up lines. */
  readonly destination?: pino.DestinationStream;
}

/** Creates the root logger; modules take `logger.child({ module })`. */
export function createLogger(options: LoggerOptions): Logger {
  const base: pino.LoggerOptions = {
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: undefined,
  };
  const destination = options.destination ?? pino.destination(1);
  if (options.pretty) {
    // Formatted in this process rather than on pino's transport thread, so log lines and the demo's
    // console lines appear in the order they were written.
    const prettify = prettyFactory({ translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' });
    return pino(base, { write: (line: string) => destination.write(prettify(line)) });
  }
  return pino(base, destination);
}
