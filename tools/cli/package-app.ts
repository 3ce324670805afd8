import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/app/package-root';
import { z } from 'zod';
import { buildAppPackage } from '../teams-app/build-app-package';
import type { Env } from '../teams-app/env-rules';
import { parsePackageConfig } from '../teams-app/package-config';

/** Inputs of the package command; the entry point below fills them from the process. */
export interface PackageAppOptions {
  readonly env: Env;
  /** Repository root: manifest/ is read from it, build/appPackage.zip written under it. */
  readonly rootDir: string;
  /** Overrides build/appPackage.zip, e.g. in tests. */
  readonly outputFile?: string;
  readonly print: (line: string) => void;
  readonly printError: (line: string) => void;
}

const packageJson = z.object({ version: z.string() });

/** Builds the Teams app package from the environment; returns the exit code. */
export async function runPackageApp(options: PackageAppOptions): Promise<number> {
  const defaultVersion = packageJson.parse(JSON.parse(readFileSync(path.join(options.rootDir, 'package.json'), 'utf8'))).version;
  const parsed = parsePackageConfig(options.env, defaultVersion);
  if (!parsed.ok) return fail(options, 'The app package needs these settings (in .env or the environment):', parsed.problems);

  const outputFile = options.outputFile ?? path.join(options.rootDir, 'build', 'appPackage.zip');
  const result = await buildAppPackage({ manifestDir: path.join(options.rootDir, 'manifest'), outputFile, config: parsed.config });
  if (!result.ok) return fail(options, 'The app package was not written:', result.problems);

  const shown = path.relative(options.rootDir, result.outputFile);
  options.print(`Wrote ${shown.startsWith('..') ? result.outputFile : shown} (app version ${parsed.config.version})`);
  options.print(`  files at the zip root: ${result.entries.join(', ')}`);
  options.print('Upload it in the Teams admin center (Teams apps > Manage apps > Upload new app).');
  return 0;
}

function fail(options: PackageAppOptions, heading: string, problems: readonly string[]): number {
  options.printError(heading);
  for (const problem of problems) options.printError(`  - ${problem}`);
  return 1;
}

if (require.main === module) {
  const rootDir = packageRoot(__dirname);
  const envFile = path.join(rootDir, '.env');
  // Values already in the environment win over .env (loadEnvFile does not overwrite them).
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  runPackageApp({ env: process.env, rootDir, print: console.log, printError: console.error }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error('Packaging failed unexpectedly:', error);
      process.exitCode = 1;
    },
  );
}
