import type { Config } from '../../src/config/config';
import { telephonyNotice } from '../../src/policy/telephony-notice';
import type { CampaignArgs } from './campaign-args';

/**
 * What a command needs that the configuration lacks, in words an admin can act on. Campaigns read
 * Graph with the bot's own identity and keep their state in the service's shared storage, so they
 * need the production settings, never the demo.
 */
export function campaignProblems(config: Config, args: CampaignArgs, today: Date): string[] {
  const problems: string[] = [];
  if (config.demoMode)
    problems.push(
      'MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD (or MICROSOFT_APP_TYPE=UserAssignedMSI) and MICROSOFT_APP_TENANT_ID: the bot identity that reads Graph and sends the messages',
    );
  if (args.command !== 'plan' && !config.storage) {
    problems.push(
      'STORAGE_CONNECTION_STRING: the storage account the service uses; campaign records live in its blob container and the work in an Azure Storage Queue of the same account',
    );
  }
  if ((args.command === 'start' || args.command === 'run' || args.command === 'remind') && !config.teamsApp.catalogAppId) {
    problems.push('TEAMS_CATALOG_APP_ID: the id Teams admin center gave the uploaded app, to install it for people who do not have it');
  }
  if (args.command !== 'status' && args.command !== 'report' && args.command !== 'stop') {
    const notice = telephonyNotice({ today, retirementDate: config.telephony.retirementDate, providerConfigured: config.telephony.providerConfigured });
    // After the retirement date without a provider the bot refuses new phones: no campaign may ask for one.
    if (notice === 'after_retirement_no_provider' && args.command !== 'plan') {
      problems.push(
        `Microsoft stopped delivering SMS and voice MFA on ${config.telephony.retirementDate} and TELEPHONY_PROVIDER_CONFIGURED is not true: the bot would refuse the phones this campaign asks for`,
      );
    }
  }
  return problems;
}
