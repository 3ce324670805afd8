import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder of the nearest package.json at or above `from`: the project root, whether the code runs
 * from src/ (tests), dist/ (the service) or build/tools/ (the admin tools, which compile the service
 * code they use one level deeper). Files beside package.json (cards/, manifest/, .env) are found from it.
 */
export function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json at or above ${from}`);
  }
}
