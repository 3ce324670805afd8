import { AuthError, ConfidentialClientApplication, LogLevel, type INetworkModule } from '@azure/msal-node';
import { GRAPH_SCOPE } from '../../src/graph/graph-scope';
import { stripTrailing } from '../../src/text/strip-trailing';
import { fail, ok, type CheckResult } from './check-result';

/** Options for {@link checkGraphToken}. */
export interface GraphTokenCheckOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tenantId: string;
  /** Sign-in host; defaults to `https://login.microsoftonline.com`. */
  readonly authorityHost?: string;
  /** Replaces MSAL's HTTP client; tests answer the token request with it. */
  readonly networkClient?: INetworkModule;
  /** Longest wait for the token endpoint. Default 15 000 ms. */
  readonly timeoutMs?: number;
}

/** The verdict, and the token for the checks that need it (never printed). */
export interface GraphTokenCheck {
  readonly result: CheckResult;
  readonly token?: string;
}

const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';
const DEFAULT_TIMEOUT_MS = 15_000;
const SECRETS_PAGE = "App registrations > the bot's app > Certificates & secrets";

/** What the common AADSTS codes of a client-credentials request mean, and the fix. */
const AADSTS_FIXES: Readonly<Record<string, { readonly problem: string; readonly fix: string }>> = {
  '7000215': {
    problem: 'MICROSOFT_APP_PASSWORD is not a valid client secret of the app',
    fix: `create a client secret (${SECRETS_PAGE}) and copy its Value, not its Secret ID`,
  },
  '7000222': {
    problem: 'the client secret in MICROSOFT_APP_PASSWORD has expired',
    fix: `create a new client secret (${SECRETS_PAGE}) and update MICROSOFT_APP_PASSWORD`,
  },
  '700016': {
    problem: 'the app MICROSOFT_APP_ID was not found in the tenant MICROSOFT_APP_TENANT_ID',
    fix: "copy both ids from the app registration's Overview page (a single-tenant app lives in one tenant)",
  },
  '90002': {
    problem: 'the tenant MICROSOFT_APP_TENANT_ID was not found',
    fix: "use the Directory (tenant) ID from the app registration's Overview page",
  },
  '7000112': {
    problem: 'the app is disabled in the tenant',
    fix: 'enable its enterprise application (Enterprise applications > the app > Properties > Enabled for users to sign in)',
  },
};

/** Acquires an app-only Graph token by client credentials, as the bot does, and explains a failure. */
export async function checkGraphToken(options: GraphTokenCheckOptions): Promise<GraphTokenCheck> {
  if (options.clientSecret === '') {
    return {
      result: fail(
        'Graph token not acquired: MICROSOFT_APP_PASSWORD is empty',
        `the bot reaches Graph by client credentials: create a client secret (${SECRETS_PAGE}) and set MICROSOFT_APP_PASSWORD`,
      ),
    };
  }
  const host = stripTrailing(options.authorityHost ?? DEFAULT_AUTHORITY_HOST, '/');
  const app = new ConfidentialClientApplication({
    auth: { clientId: options.clientId, clientSecret: options.clientSecret, authority: `${host}/${encodeURIComponent(options.tenantId)}` },
    system: {
      ...(options.networkClient ? { networkClient: options.networkClient } : {}),
      // The doctor prints its own verdicts; MSAL's log would only repeat them.
      loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => undefined },
    },
  });

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  });
  try {
    const result = await Promise.race([app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] }), timedOut]);
    if (result === 'timeout') return { result: unreachable(host, 'no answer in time') };
    // MSAL resolves with an empty token when the endpoint answers something it cannot read.
    if (!result?.accessToken) {
      return { result: fail('Graph token not acquired: the token endpoint answered without a token', `check that ${host} is the sign-in host of your cloud`) };
    }
    return { result: ok('Graph token acquired (client credentials)'), token: result.accessToken };
  } catch (error) {
    return { result: explain(error, host) };
  } finally {
    clearTimeout(timer);
  }
}

function explain(error: unknown, host: string): CheckResult {
  if (error instanceof AuthError) {
    const aadsts = /AADSTS(\d+)/.exec(error.errorMessage)?.[1];
    const known = aadsts ? AADSTS_FIXES[aadsts] : undefined;
    if (known) return fail(`Graph token not acquired: ${known.problem} (AADSTS${aadsts})`, known.fix);
    if (error.errorCode === 'network_error' || error.errorCode === 'endpoints_resolution_error') return unreachable(host, error.errorCode);
    const code = aadsts ? `${error.errorCode}, AADSTS${aadsts}` : error.errorCode;
    return fail(`Graph token not acquired: ${code}`, 'check MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and MICROSOFT_APP_TENANT_ID against the app registration');
  }
  return unreachable(host, error instanceof Error ? error.name : 'unknown error');
}

function unreachable(host: string, detail: string): CheckResult {
  return fail(`Graph token not acquired: ${host} could not be reached (${detail})`, `allow outbound https to ${host} (proxy, firewall, DNS)`);
}
