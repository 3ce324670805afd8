import type { INetworkModule } from '@azure/msal-node';
import type { FetchOptions } from '@microsoft/microsoft-graph-client';
import { createLogger, type Logger } from '../../src/logging/logger';
import { AuthMethodsPolicyReader } from '../../src/policy/auth-methods-policy';
import { systemClock } from '../../src/time/clock';
import { checkAcs } from './acs-check';
import { adminConsentAdvice } from './admin-consent-url';
import { checkAuthMethodsPolicy } from './auth-methods-policy-check';
import { warn, type CheckResult, type DoctorSection } from './check-result';
import { checkConfig } from './config-check';
import { checkGraphPermissions } from './graph-permissions-check';
import { checkGraphToken } from './graph-token-check';
import { checkMode } from './mode-check';
import { checkPublicUrl } from './public-url-check';
import { checkStorage, type StorageBlobModule } from './storage-check';
import { checkTeamsCatalog } from './teams-catalog-check';
import { checkTelephony } from './telephony-check';
import { checkTwilio } from './twilio-check';
import { checkTwilioCredentials } from './twilio-credentials-check';

/** What the doctor reads and the seams tests replace (all optional except the environment). */
export interface DoctorOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Today, for the retirement notice. Default the system time. */
  readonly now?: () => Date;
  /** MSAL's HTTP client for the token request. */
  readonly networkClient?: INetworkModule;
  /** Sign-in host; default `https://login.microsoftonline.com`. */
  readonly authorityHost?: string;
  /** Graph root instead of GRAPH_BASE_URL (a local fake). */
  readonly graphBaseUrl?: string;
  /** Passed to every `fetch` (Graph and the health probe), e.g. `{ dispatcher }`. */
  readonly fetchOptions?: FetchOptions;
  /** Whether the doctor reaches out: GET {PUBLIC_BASE_URL}/healthz, and read the Twilio account to try its credentials. Default true. */
  readonly probePublicUrl?: boolean;
  readonly loadBlobModule?: () => Promise<StorageBlobModule>;
  /** Receives the policy reader's warnings; silent by default (the verdict lines say it all). */
  readonly logger?: Logger;
}

/** Every verdict, and whether the service is ready for production. */
export interface DoctorReport {
  readonly sections: readonly DoctorSection[];
  readonly demoMode: boolean;
  /** No check failed and the service is not in demo mode. */
  readonly productionReady: boolean;
}

/** Runs every check in order; a check whose prerequisite failed says "not checked" instead of guessing. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const sections: DoctorSection[] = [];
  const configCheck = checkConfig(options.env);
  sections.push({ heading: 'Configuration', results: configCheck.results });
  const config = configCheck.config;
  if (!config) {
    sections.push({ heading: 'Other checks', results: [warn('Not checked: fix the configuration first')] });
    return finish(sections, false);
  }

  sections.push({ heading: 'Mode', results: checkMode(config) });
  const graphBaseUrl = options.graphBaseUrl ?? config.graph.baseUrl;
  const graph = await checkGraph(options, config.demoMode, config.bot, graphBaseUrl);
  sections.push({ heading: 'Microsoft Graph', results: graph.results });
  if (!config.demoMode) {
    sections.push({
      heading: 'Teams app',
      results: await checkTeamsCatalog({
        manifestId: config.teamsApp.appId,
        catalogAppId: config.teamsApp.catalogAppId,
        graphBaseUrl,
        ...(graph.token !== undefined ? { token: graph.token } : {}),
        ...(options.fetchOptions ? { fetchOptions: options.fetchOptions } : {}),
      }),
    });
  }
  if (config.acs || !config.twilio)
    sections.push({
      heading: 'Azure Communication Services',
      results: checkAcs({ acs: config.acs, publicBaseUrl: config.publicBaseUrl, demoMode: config.demoMode, allowedCountries: config.phone.allowedCountries }),
    });
  // Online runs also try the credentials (reading the account costs nothing); --no-probe stays offline.
  const twilioOnline = options.probePublicUrl !== false ? await checkTwilioCredentials(config) : [];
  sections.push({ heading: 'Twilio', results: [...checkTwilio(config), ...twilioOnline] });
  sections.push({
    heading: 'Storage',
    results: await checkStorage({ storage: config.storage, ...(options.loadBlobModule ? { loadBlobModule: options.loadBlobModule } : {}) }),
  });
  sections.push({
    heading: 'Public URL',
    results: await checkPublicUrl({
      publicBaseUrl: config.publicBaseUrl,
      demoMode: config.demoMode,
      ...(options.probePublicUrl !== undefined ? { probe: options.probePublicUrl } : {}),
      ...(options.fetchOptions ? { fetchOptions: options.fetchOptions } : {}),
    }),
  });
  sections.push({
    heading: 'Phone MFA retirement',
    results: checkTelephony({
      today: (options.now ?? (() => new Date()))(),
      retirementDate: config.telephony.retirementDate,
      providerConfigured: config.telephony.providerConfigured,
    }),
  });
  return finish(sections, config.demoMode);
}

async function checkGraph(
  options: DoctorOptions,
  demoMode: boolean,
  bot: { readonly appId: string; readonly appPassword: string; readonly tenantId: string; readonly appType: string },
  graphBaseUrl: string,
): Promise<{ readonly results: CheckResult[]; readonly token?: string }> {
  if (demoMode) return { results: [warn('Graph not checked: demo mode has no app identity (the demo directory writes nothing to Entra ID)')] };
  if (bot.appType === 'UserAssignedMSI') {
    // The managed identity endpoint exists only on the Azure host; the doctor does not call it from elsewhere.
    return {
      results: [
        warn(
          'Graph not checked: the bot gets Graph tokens from its user-assigned managed identity, which only answers on the Azure host',
          `check the identity's Graph app roles (Enterprise applications > Managed Identities > the identity > Permissions); to add one, ${adminConsentAdvice({ appId: bot.appId, managedIdentity: true })}`,
        ),
      ],
    };
  }
  const consentAdvice = adminConsentAdvice({ appId: bot.appId });
  // ALLOWED_GROUP_ID makes the bot check group membership, which needs its own permission.
  const allowedGroup = (options.env.ALLOWED_GROUP_ID ?? '').trim() !== '';
  const tokenCheck = await checkGraphToken({
    clientId: bot.appId,
    clientSecret: bot.appPassword,
    tenantId: bot.tenantId,
    ...(options.authorityHost ? { authorityHost: options.authorityHost } : {}),
    ...(options.networkClient ? { networkClient: options.networkClient } : {}),
  });
  const token = tokenCheck.token;
  if (token === undefined) {
    return { results: [tokenCheck.result, warn('Graph permissions and the authentication methods policy not checked: no token')] };
  }
  const reader = new AuthMethodsPolicyReader({
    tokenProvider: { getAccessToken: async () => token },
    baseUrl: graphBaseUrl,
    logger: options.logger ?? createLogger({ level: 'silent', pretty: false }),
    clock: systemClock,
    timeoutMs: 10_000,
    ...(options.fetchOptions ? { fetchOptions: options.fetchOptions } : {}),
  });
  return {
    results: [
      tokenCheck.result,
      ...checkGraphPermissions({ token, consentAdvice, allowedGroup }),
      ...(await checkAuthMethodsPolicy({ reader, consentAdvice })),
    ],
    token,
  };
}

function finish(sections: DoctorSection[], demoMode: boolean): DoctorReport {
  const failed = sections.some((s) => s.results.some((r) => r.status === 'fail'));
  return { sections, demoMode, productionReady: !failed && !demoMode };
}
