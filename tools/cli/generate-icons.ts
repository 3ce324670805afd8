import path from 'node:path';
import { packageRoot } from '../../src/app/package-root';
import { generateIcons } from '../teams-app/generate-icons';

/** Regenerates manifest/color.png and manifest/outline.png; returns the exit code. */
export async function runGenerateIcons(options: { readonly manifestDir: string; readonly print: (line: string) => void }): Promise<number> {
  const written = await generateIcons(options.manifestDir);
  options.print(`Wrote ${written.color} (192×192) and ${written.outline} (32×32, white on transparent)`);
  return 0;
}

if (require.main === module) {
  const rootDir = packageRoot(__dirname);
  runGenerateIcons({ manifestDir: path.join(rootDir, 'manifest'), print: console.log }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error('Generating the icons failed:', error);
      process.exitCode = 1;
    },
  );
}
