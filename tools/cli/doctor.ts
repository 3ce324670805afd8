import { existsSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/app/package-root';
import { formatReport } from '../doctor/format-report';
import { runDoctor, type DoctorOptions } from '../doctor/run-doctor';

/** Inputs of the doctor command: the doctor's own options plus where to print. */
export interface DoctorCliOptions extends DoctorOptions {
  readonly print: (line: string) => void;
}

/** Runs every check, prints one verdict per line; returns 0 only when production-ready. */
export async function runDoctorCli(options: DoctorCliOptions): Promise<number> {
  const report = await runDoctor(options);
  for (const line of formatReport(report)) options.print(line);
  return report.productionReady ? 0 : 1;
}

if (require.main === module) {
  const rootDir = packageRoot(__dirname);
  const envFile = path.join(rootDir, '.env');
  // Values already in the environment win over .env (loadEnvFile does not overwrite them).
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  runDoctorCli({ env: process.env, print: console.log, probePublicUrl: !process.argv.includes('--no-probe') }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error('The doctor failed unexpectedly:', error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
}
