import { createLogger, type Logger } from '../../../src/logging/logger';

/** A debug-level logger whose lines are kept in memory, so tests stay quiet and can read the log. */
export function createCollectingLogger(): { readonly logger: Logger; readonly lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', pretty: false, destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines };
}
