import type { Config } from '../../src/config/config';
import { fail, ok, warn, type CheckResult } from './check-result';

/** Demo mode can never be production-ready; production also wants NODE_ENV=production. */
export function checkMode(config: Config): CheckResult[] {
  if (config.demoMode) {
    return [
      fail(
        'Demo mode: not production-ready (no bot identity; nothing is written to Entra ID; codes go to the console)',
        'set MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD, MICROSOFT_APP_TENANT_ID, VERIFICATION_SECRET, the ACS_* variables and PUBLIC_BASE_URL (see .env.example and docs/admin.md)',
      ),
    ];
  }
  const results = [ok(`Production mode: bot app ${config.bot.appId} in tenant ${config.bot.tenantId} (${config.bot.appType})`)];
  if (config.nodeEnv !== 'production') {
    results.push(warn(`NODE_ENV is ${config.nodeEnv}`, 'set NODE_ENV=production on the server (JSON logs; demo parts refuse to start)'));
  }
  return results;
}
