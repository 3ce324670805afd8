import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../../src/app/package-root';
import { CATALOG_APP_ID_SOURCE, chatDeepLink, installAppId, installDeepLink, startInstallUrl, startUrl } from '../../src/teams-links/deep-links';
import { employeeMessage } from '../teams-app/employee-message';
import type { Env } from '../teams-app/env-rules';
import { parseLinksConfig } from '../teams-app/links-config';
import { createQrCodes } from '../../src/teams-links/qr-codes';

/** Inputs of the links command; the entry point below fills them from the process. */
export interface PrintLinksOptions {
  readonly env: Env;
  /** Where qr.png, qr.svg and employee-message.txt are written (build/ by default). */
  readonly outputDir: string;
  readonly print: (line: string) => void;
  readonly printError: (line: string) => void;
}

/** File names written to the output folder. */
export const LINK_FILES = { png: 'qr.png', svg: 'qr.svg', message: 'employee-message.txt' } as const;

/** Prints the helpdesk links and writes the QR images and the employee message; returns the exit code. */
export async function runPrintLinks(options: PrintLinksOptions): Promise<number> {
  const parsed = parseLinksConfig(options.env);
  if (!parsed.ok) {
    options.printError('The links need these settings (in .env or the environment):');
    for (const problem of parsed.problems) options.printError(`  - ${problem}`);
    return 1;
  }
  const config = parsed.config;
  const start = startUrl(config.publicBaseUrl);
  const install = startInstallUrl(config.publicBaseUrl);
  const qr = await createQrCodes(start);
  const message = employeeMessage({
    startUrl: start,
    installUrl: install,
    ...(config.helpdeskContact ? { helpdeskContact: config.helpdeskContact } : {}),
  });

  await mkdir(options.outputDir, { recursive: true });
  const written = {
    png: path.join(options.outputDir, LINK_FILES.png),
    svg: path.join(options.outputDir, LINK_FILES.svg),
    message: path.join(options.outputDir, LINK_FILES.message),
  };
  await writeFile(written.png, qr.png);
  await writeFile(written.svg, qr.svg, 'utf8');
  await writeFile(written.message, message.combined, 'utf8');

  options.print(`Chat with the bot:     ${chatDeepLink(config.botAppId)}`);
  options.print(`Install page:          ${installDeepLink(installAppId(config), config.tenantId)}`);
  if (!config.catalogAppId) {
    options.print('  (The install page uses the manifest id TEAMS_APP_ID: right for a custom app uploaded directly.');
    options.print(`   For an app uploaded to your organization's catalog, set TEAMS_CATALOG_APP_ID to ${CATALOG_APP_ID_SOURCE}.)`);
  }
  options.print(`Short link (chat):     ${start}`);
  options.print(`Short link (install):  ${install}`);
  if (!config.tenantId) options.print('  (MICROSOFT_APP_TENANT_ID is not set, so the install page is not pinned to your tenant.)');
  options.print(`QR code of the short link: ${written.png}, ${written.svg}`);
  options.print(`Message for employees:     ${written.message}`);
  options.print('');
  options.print(message.combined);
  return 0;
}

if (require.main === module) {
  const rootDir = packageRoot(__dirname);
  const envFile = path.join(rootDir, '.env');
  // Values already in the environment win over .env (loadEnvFile does not overwrite them).
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  runPrintLinks({ env: process.env, outputDir: path.join(rootDir, 'build'), print: console.log, printError: console.error }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error('Printing the links failed unexpectedly:', error);
      process.exitCode = 1;
    },
  );
}
