import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import path from 'node:path';
import { ManagedIdentityCredential } from '@azure/identity';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { AppCredentials, AuthenticationConstants, ClaimsIdentity } from 'botframework-connector';
import { packageRoot } from '../../src/app/package-root';
import { CardRenderer } from '../../src/cards/card-renderer';
import { CardViews } from '../../src/cards/card-views';
import type { Config } from '../../src/config/config';
import { ConfigError, loadConfig } from '../../src/config/load-config';
import type { Env } from '../teams-app/env-rules';
import { CredentialTokenProvider } from '../../src/directory/credential-token-provider';
import { GraphTokenProvider } from '../../src/directory/graph-token-provider';
import { GraphHttp } from '../../src/graph/graph-http';
import { translator } from '../../src/i18n/messages';
import { createLogger } from '../../src/logging/logger';
import { PhoneAvailability } from '../../src/policy/phone-availability';
import { StaticPolicyReader } from '../../src/policy/static-policy-reader';
import { createStorage } from '../../src/storage/create-storage';
import { systemClock } from '../../src/time/clock';
import { parseCampaignArgs, USAGE, type CampaignArgs } from '../campaign/campaign-args';
import {
  planCommand,
  remindCommand,
  reportCommand,
  runCommand,
  startCommand,
  statusCommand,
  stopCommand,
  type CampaignServices,
} from '../campaign/campaign-commands';
import { CampaignGraph } from '../campaign/campaign-graph';
import { campaignProblems } from '../campaign/campaign-readiness';
import { SharedPacer } from '../campaign/shared-pacer';
import { TeamsBatchClient } from '../campaign/teams-batch-client';
import { ConnectorWelcomeSender, welcomeActivity } from '../campaign/welcome-sender';

/** The audience of Bot Framework tokens for Teams' connector (the same botbuilder's proactive calls use). */
const BOT_FRAMEWORK_AUDIENCE = 'https://api.botframework.com';

/** Inputs of the campaign command; the entry point below fills them from the process. */
export interface CampaignCliOptions {
  readonly argv: readonly string[];
  readonly env: Env;
  readonly print: (line: string) => void;
  readonly printError: (line: string) => void;
  readonly out: { readonly isTTY?: boolean; write(text: string): unknown };
  readonly rootDir: string;
}

/** Runs one campaign subcommand; returns the exit code (non-zero when something is missing or failed). */
export async function runCampaignCli(options: CampaignCliOptions): Promise<number> {
  const args = parseCampaignArgs(options.argv);
  if (typeof args === 'string') {
    options.printError(args);
    for (const line of USAGE) options.printError(line);
    return 1;
  }
  let config: Config;
  try {
    config = loadConfig(options.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    options.printError('The configuration has problems (in .env or the environment):');
    for (const problem of error.problems) options.printError(`  - ${problem}`);
    return 1;
  }
  const problems = campaignProblems(config, args, new Date());
  if (problems.length > 0) {
    options.printError(`A campaign ${args.command} needs these settings (in .env or the environment, the same as the service):`);
    for (const problem of problems) options.printError(`  - ${problem}`);
    return 1;
  }
  return dispatch(args, services(config, args, options));
}

function dispatch(args: CampaignArgs, s: CampaignServices): Promise<number> {
  switch (args.command) {
    case 'plan':
      return planCommand(args, s);
    case 'start':
      return startCommand(args, s);
    case 'run':
      return runCommand(args, s);
    case 'status':
      return statusCommand(args, s);
    case 'report':
      return reportCommand(args, s);
    case 'remind':
      return remindCommand(args, s);
    case 'stop':
      return stopCommand(args, s);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function services(config: Config, args: CampaignArgs, options: CampaignCliOptions): CampaignServices {
  // Quiet on the console: the command prints its own lines; warnings still show.
  const logger = createLogger({ level: 'warn', pretty: false, destination: process.stderr });
  const tokens =
    config.bot.appType === 'UserAssignedMSI'
      ? new CredentialTokenProvider(new ManagedIdentityCredential({ clientId: config.bot.appId }), logger)
      : new GraphTokenProvider({ clientId: config.bot.appId, clientSecret: config.bot.appPassword, tenantId: config.bot.tenantId, logger });
  const graph = new CampaignGraph({
    http: new GraphHttp({ baseUrl: config.graph.baseUrl, timeoutMs: 30_000, logger }),
    token: () => tokens.getAccessToken(),
    sleep,
  });
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: config.bot.appPassword,
    MicrosoftAppType: config.bot.appType,
    MicrosoftAppTenantId: config.bot.tenantId,
  });
  const serviceUrl = config.teamsApp.serviceUrl;
  const storage = config.storage ? createStorage(config.storage, logger) : undefined;
  // One rate for every runner of the tenant, kept in the campaign's storage (commands without storage send nothing).
  const pacer = storage ? new SharedPacer({ storage, perSecond: args.rate, clock: systemClock, sleep }) : undefined;
  const pace = (count = 1): Promise<void> => pacer?.take(count) ?? Promise.resolve();
  // Audit lines go to stderr as JSON whatever the console shows: one per Graph write, never a token.
  const audit = createLogger({ level: 'info', pretty: false, destination: process.stderr }).child({
    audit: true,
    actor: `${userInfo().username}@${hostname()}`,
    tool: 'campaign',
    appId: config.bot.appId,
    tenantId: config.bot.tenantId,
  });
  // The Bot Framework token botbuilder's connector client sends, through its public credentials.
  const claims = new ClaimsIdentity(
    [
      { type: AuthenticationConstants.AudienceClaim, value: config.bot.appId },
      { type: AuthenticationConstants.AppIdClaim, value: config.bot.appId },
    ],
    true,
  );
  // Made on the first batch request only: plan, status and report never send.
  let connector: ReturnType<ReturnType<typeof auth.createConnectorFactory>['create']> | undefined;
  const botToken = async (): Promise<string | undefined> => {
    connector ??= auth.createConnectorFactory(claims).create(serviceUrl, BOT_FRAMEWORK_AUDIENCE);
    const credentials = (await connector).credentials;
    return credentials instanceof AppCredentials ? credentials.getToken() : undefined;
  };
  const availability = new PhoneAvailability({
    policy: new StaticPolicyReader(),
    clock: systemClock,
    retirementDate: config.telephony.retirementDate,
    providerConfigured: config.telephony.providerConfigured,
    portalUrl: config.helpdesk.portalUrl,
  });
  // The retirement notice before the date, as "hi" shows it (after it, campaigns do not start).
  const notice = (locale: 'en' | 'ja'): string => availability.noticeText(translator(locale), locale);
  const views = new CardViews({
    renderer: new CardRenderer(path.join(options.rootDir, 'cards')),
    demoMode: false,
    portalUrl: config.helpdesk.portalUrl,
    helpdeskContact: config.helpdesk.contact,
  });
  return {
    graph,
    ...(config.storage && storage ? { storage, queueConnectionString: config.storage.connectionString } : {}),
    allowedGroupId: config.access.allowedGroupId,
    clock: systemClock,
    readFile: (file) => readFile(file, 'utf8'),
    print: options.print,
    out: options.out,
    runner: {
      sender: new ConnectorWelcomeSender({
        adapter: new CloudAdapter(auth),
        botAppId: config.bot.appId,
        tenantId: config.bot.tenantId,
        serviceUrl,
        views,
        newNonce: randomUUID,
        notice,
        pace: () => pace(1),
        sleep,
      }),
      batchMessaging: {
        api: new TeamsBatchClient({ serviceUrl, token: botToken, pace, sleep }),
        tenantId: config.bot.tenantId,
        // One nonce per batch: the welcome buttons work whatever the state holds, and presses are claimed per conversation.
        activity: (locale, note) => welcomeActivity({ views, notice }, randomUUID(), locale, note),
        newBatchId: randomUUID,
      },
      audit: (entry) => audit.info(entry, 'campaign graph write'),
      sleep,
      idleSleep: sleep,
      catalogAppId: config.teamsApp.catalogAppId,
      defaultLocale: args.defaultLocale,
      // Long enough for a batch: the pacer's wait for its members plus about 85 s of polls.
      visibilityTimeoutSeconds: 300,
      staleAfterMs: 10 * 60_000,
    },
  };
}

if (require.main === module) {
  const rootDir = packageRoot(__dirname);
  const envFile = path.join(rootDir, '.env');
  // Values already in the environment win over .env (loadEnvFile does not overwrite them).
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  runCampaignCli({ argv: process.argv.slice(2), env: process.env, print: console.log, printError: console.error, out: process.stdout, rootDir }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error('The campaign stopped unexpectedly:', error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
}
