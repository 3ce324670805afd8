import path from 'node:path';
import { runCampaignCli } from '../../../tools/cli/campaign';

const ROOT = path.join(__dirname, '..', '..', '..');

function run(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; errors: string[] }> {
  const errors: string[] = [];
  return runCampaignCli({ argv, env, print: () => undefined, printError: (line) => errors.push(line), out: { write: () => true }, rootDir: ROOT }).then(
    (code) => ({ code, errors }),
  );
}

describe('npm run campaign', () => {
  it('plan with no configuration explains what it needs and exits non-zero', async () => {
    const { code, errors } = await run(['plan', '--group', 'Everyone']);
    expect(code).toBe(1);
    expect(errors.join('\n')).toMatch(/MICROSOFT_APP_ID.*bot identity/);
  });

  it('start names the storage and the catalog app id it needs', async () => {
    const { code, errors } = await run(['start', '--group', 'Everyone']);
    expect(code).toBe(1);
    expect(errors.join('\n')).toContain('STORAGE_CONNECTION_STRING');
    expect(errors.join('\n')).toContain('TEAMS_CATALOG_APP_ID');
  });

  it('after the retirement date without a telephony provider, start refuses to ask for phones', async () => {
    const { code, errors } = await run(['start', '--group', 'Everyone'], { PHONE_MFA_RETIREMENT_DATE: '2020-01-01' });
    expect(code).toBe(1);
    expect(errors.join('\n')).toContain('TELEPHONY_PROVIDER_CONFIGURED is not true');
  });

  it('bad arguments show the usage', async () => {
    expect((await run([])).code).toBe(1);
    const rate = await run(['start', '--group', 'x', '--rate', '500']);
    expect(rate.code).toBe(1);
    expect(rate.errors[0]).toContain('at most 50');
    expect(rate.errors.join('\n')).toContain('Usage: npm run campaign');
    expect((await run(['remind'])).errors[0]).toContain('--after');
  });
});
