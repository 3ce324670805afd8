import type { Config } from '../../src/config/config';
import { ConfigError, loadConfig } from '../../src/config/load-config';
import { fail, ok, type CheckResult } from './check-result';

/** The verdicts on the environment and, when it is valid, the config the other checks use. */
export interface ConfigCheck {
  readonly results: readonly CheckResult[];
  readonly config?: Config;
}

/** Validates the environment with the service's own loader and lists every problem it reports. */
export function checkConfig(env: Readonly<Record<string, string | undefined>>): ConfigCheck {
  try {
    const config = loadConfig(env);
    return { results: [ok(`Configuration is valid (NODE_ENV=${config.nodeEnv})`)], config };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Each problem reads "WHAT is wrong: how to fix it"; the loader never quotes a secret.
    return { results: error.problems.map(toResult) };
  }
}

function toResult(problem: string): CheckResult {
  const split = problem.indexOf(': ');
  return split < 0 ? fail(problem) : fail(problem.slice(0, split), problem.slice(split + 2));
}
