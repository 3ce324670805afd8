import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logging/logger';

/** Where Microsoft 365 Agents Playground serves its UI. */
export const PLAYGROUND_URL = 'http://localhost:56150';

export interface PlaygroundOptions {
  readonly rootDir: string;
  readonly botEndpoint: string;
  readonly logger: Logger;
}

/**
 * Starts Microsoft 365 Agents Playground (Microsoft's local Teams emulator) beside the demo bot.
 * It is a dev dependency: when it is not installed the bot still runs and says how to talk to it.
 */
export function startPlayground(options: PlaygroundOptions): ChildProcess | undefined {
  const cli = join(options.rootDir, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
  if (!existsSync(cli)) {
    options.logger.warn('Agents Playground is not installed (npm ci installs it); point any Bot Framework client at the endpoint instead');
    return undefined;
  }
  // cli.js directly, not npx: killing an npx parent would leave the Playground server running.
  const child = spawn(process.execPath, [cli, '-e', options.botEndpoint, '-c', 'msteams', '--dt'], {
    cwd: options.rootDir,
    env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' },
    stdio: 'ignore',
  });
  child.on('error', (error) => options.logger.error({ err: error }, 'Agents Playground failed to start'));
  child.on('exit', (code, signal) => options.logger.info({ code, signal }, 'Agents Playground stopped'));
  return child;
}
