import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Compiles the service into dist/ when any source is newer than dist/main.js, so a test that runs
 * the real process never runs yesterday's code. Returns the path of the entry point.
 */
export function ensureFreshDist(rootDir: string): string {
  const main = join(rootDir, 'dist', 'main.js');
  if (existsSync(main) && statSync(main).mtimeMs >= newestMtime(join(rootDir, 'src'))) return main;
  const tsc = require.resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(rootDir, 'tsconfig.build.json')], { cwd: rootDir, encoding: 'utf8' });
  // Type errors still emit JavaScript; `npm run typecheck` is where they fail the build.
  if (!existsSync(main) || statSync(main).mtimeMs < newestMtime(join(rootDir, 'src'))) {
    throw new Error(`could not build dist/: ${result.stdout}${result.stderr}`);
  }
  return main;
}
