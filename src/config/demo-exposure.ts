import { isIP } from 'node:net';
import type { Config } from './config';

/** True for an address only this machine can reach (127.0.0.0/8, ::1, localhost). */
function isLoopback(host: string): boolean {
  const address = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (address === 'localhost' || address === '::1') return true;
  if (address.startsWith('::ffff:')) return isLoopback(address.slice('::ffff:'.length));
  return isIP(address) === 4 && address.startsWith('127.');
}

/**
 * The warning to log when the demo listens where other machines can reach it, or undefined. The demo
 * has no authentication and shows every code at /demo/messages, so only HOST can open it up.
 */
export function demoExposureWarning(config: Pick<Config, 'demoMode' | 'server'>): string | undefined {
  if (!config.demoMode || isLoopback(config.server.host)) return undefined;
  return (
    `Demo mode listens on HOST=${config.server.host}: anyone who can reach this port can talk to the anonymous bot ` +
    'and read every code at /demo/messages. Remove HOST to listen on 127.0.0.1 only.'
  );
}
