import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium: the browser the screenshots and the browser tests drive. */
const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Headless, no GPU, and no background traffic: on a machine without internet Chromium's own update,
 * sync and QUIC probes would otherwise fail noisily at every start. `--no-sandbox` because CI runs as root.
 */
const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--font-render-hinting=none',
];

/** Launches Chromium, or fails with a message that says how to install it. */
export async function launchChromium(executablePath: string = CHROMIUM_PATH): Promise<Browser> {
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium is not installed at ${executablePath}: install it with "apt-get install -y chromium fonts-noto-cjk"`);
  }
  return chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
}
