import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Paths that must never reach a log line even if someone passes a whole object by mistake.
 * Masking phone numbers is still the caller's job: this is the safety net.
 */
const REDACT_PATHS = [
  'code', '*.code', 'digits', '*.digits', 'token', '*.token', 'accessToken', '*.accessToken',
  'secret', '*.secret', 'password', '*.password', 'authorization', '*.authorization',
  'headers.authorization', 'req.headers.authorization', 'phoneNumber', '*.phoneNumber', 'e164', '*.e164',
  // botbuilder-dialogs' DialogContextError carries the whole dialog stack with its state (a typed
  // number among it); the ids of the active and parent dialogs stay.
  'dialogContext.stack', '*.dialogContext.stack', '*.error.dialogContext.stack',
];

export interface LoggerOptions {
  readonly level: string;
  /** Human-readable lines for a developer console; JSON otherwise. */
  readonly pretty: boolean;
  /** Where lines go; defaults to stdout. Tests pass a sink to read the log. */
  readonly destination?: pino.DestinationStream;
}

/** Creates the root logger; modules take `logger.child({ module })`. */
export function createLogger(options: LoggerOptions): Logger {
  const base: pino.LoggerOptions = {
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: undefined,
  };
  if (options.destination) return pino(base, options.destination);
  if (options.pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } });
  }
  return pino(base);
}
