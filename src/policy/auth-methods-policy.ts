import type { FetchOptions } from '@microsoft/microsoft-graph-client';
import type { AccessTokenSource } from '../graph/access-token-source';
import { GraphHttp } from '../graph/graph-http';
import { successResponse, type GraphOutcome } from '../graph/graph-outcome';
import type { Logger } from '../logging/logger';
import type { Clock } from '../time/clock';
import { DEFAULT_PHONE_POLICY, type PhonePolicyReader, type PhonePolicyState, type PolicyMigrationState } from './phone-policy';

export type { PhonePolicyState, PolicyMigrationState } from './phone-policy';

/** Options for {@link AuthMethodsPolicyReader}. */
export interface AuthMethodsPolicyReaderOptions {
  readonly tokenProvider: AccessTokenSource;
  /** Graph root without version; defaults to `https://graph.microsoft.com`. */
  readonly baseUrl?: string;
  /** Passed to every `fetch`, e.g. `{ dispatcher }` to trust a test certificate. */
  readonly fetchOptions?: FetchOptions;
  readonly logger: Logger;
  readonly clock: Clock;
  /** How long a policy read from Graph is reused. Default 10 minutes. */
  readonly cacheMs?: number;
  /** How long a failed read is remembered before Graph is asked again. Default 1 minute. */
  readonly failureCacheMs?: number;
  /** Time limit for one read (both configurations). Default 5 000 ms. */
  readonly timeoutMs?: number;
}

/** One method configuration as the doctor reports it. */
export interface MethodConfigurationSummary {
  readonly enabled: boolean;
  /** The include targets contain `all_users`. */
  readonly allUsers: boolean;
  /** Include targets other than `all_users` (groups). */
  readonly includedGroups: number;
  readonly excludedGroups: number;
}

/** Why a read failed, in terms an admin can act on. */
type PolicyReadFailure = 'permission_denied' | 'no_token' | 'unavailable' | 'timeout' | 'unreadable';

/** The result of one uncached read from Graph. */
export type PolicyReadOutcome =
  | {
      readonly ok: true;
      readonly state: PhonePolicyState;
      readonly sms: MethodConfigurationSummary;
      readonly voice: MethodConfigurationSummary;
    }
  | {
      readonly ok: false;
      readonly reason: PolicyReadFailure;
      readonly status?: number;
      readonly graphCode?: string;
      readonly requestId?: string;
    };

type Failure = Extract<PolicyReadOutcome, { ok: false }>;

const DEFAULT_CACHE_MS = 10 * 60 * 1000;
const DEFAULT_FAILURE_CACHE_MS = 60 * 1000;
const DEFAULT_TIMEOUT_MS = 5_000;
const POLICY_PATH = '/policies/authenticationMethodsPolicy';
const CONFIGURATIONS_PATH = `${POLICY_PATH}/authenticationMethodConfigurations`;
const MIGRATION_STATES: readonly PolicyMigrationState[] = ['preMigration', 'migrationInProgress', 'migrationComplete'];

/**
 * Reads the tenant's SMS and voice method configurations and the policy's migration state from Graph,
 * cached; the bot reads the policy root alone, whose configurations Graph expands. All three reads need `Policy.Read.AuthenticationMethod`, the least-privileged permission:
 * https://learn.microsoft.com/graph/api/authenticationmethodspolicy-get,
 * https://learn.microsoft.com/graph/api/smsauthenticationmethodconfiguration-get,
 * https://learn.microsoft.com/graph/api/voiceauthenticationmethodconfiguration-get
 * A failed read never throws: it logs a warning and answers the last state read from Graph, or
 * {@link DEFAULT_PHONE_POLICY} (everything allowed, `source: 'default'`) when there is none.
 */
export class AuthMethodsPolicyReader implements PhonePolicyReader {
  private readonly graph: GraphHttp;
  private readonly tokenProvider: AccessTokenSource;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly cacheMs: number;
  private readonly failureCacheMs: number;
  private cached?: { readonly state: PhonePolicyState; readonly expiresAt: number };
  private lastFromGraph?: PhonePolicyState;
  private inFlight?: Promise<PhonePolicyState>;

  constructor(options: AuthMethodsPolicyReaderOptions) {
    this.tokenProvider = options.tokenProvider;
    this.logger = options.logger.child({ module: 'auth-methods-policy' });
    this.clock = options.clock;
    this.cacheMs = options.cacheMs ?? DEFAULT_CACHE_MS;
    this.failureCacheMs = options.failureCacheMs ?? DEFAULT_FAILURE_CACHE_MS;
    // The doctor's three reads run side by side, so this limit bounds the whole read. No logger: a failed read
    // is logged once, with its fallback, by refresh.
    this.graph = new GraphHttp({
      ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}),
      ...(options.fetchOptions ? { fetchOptions: options.fetchOptions } : {}),
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
  }

  /** The phone policy, from the cache while fresh; concurrent callers share one Graph read. */
  async read(): Promise<PhonePolicyState> {
    if (this.cached && this.clock.now() < this.cached.expiresAt) return this.cached.state;
    this.inFlight ??= this.refresh().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** One uncached read with the failure spelled out (for the doctor); never throws. */
  async readOnce(): Promise<PolicyReadOutcome> {
    let token: string;
    try {
      token = await this.tokenProvider.getAccessToken();
    } catch (error) {
      this.logger.warn({ err: errorSummary(error) }, 'no Graph token for the authentication methods policy');
      return { ok: false, reason: 'no_token' };
    }
    const [sms, voice, root] = await Promise.all([
      this.fetchJson(`${CONFIGURATIONS_PATH}/sms`, token),
      this.fetchJson(`${CONFIGURATIONS_PATH}/voice`, token),
      this.fetchJson(POLICY_PATH, token),
    ]);
    return combine(sms, voice, root);
  }

  /**
   * The bot's read: the policy root alone, one Graph call. Its `authenticationMethodConfigurations` are
   * "automatically expanded on GET /policies/authenticationMethodsPolicy"
   * (https://learn.microsoft.com/graph/api/resources/authenticationmethodspolicy), so the sms and voice
   * configurations come with the migration state. {@link readOnce} keeps the three documented reads so the
   * doctor proves the least-privileged permission on each.
   */
  private async readRoot(): Promise<PolicyReadOutcome> {
    let token: string;
    try {
      token = await this.tokenProvider.getAccessToken();
    } catch (error) {
      this.logger.warn({ err: errorSummary(error) }, 'no Graph token for the authentication methods policy');
      return { ok: false, reason: 'no_token' };
    }
    const root = await this.fetchJson(POLICY_PATH, token);
    if (isFailure(root)) return root;
    const sms = expandedConfiguration(root, 'sms');
    const voice = expandedConfiguration(root, 'voice');
    if (!sms || !voice) return { ok: false, reason: 'unreadable' };
    return combine(sms, voice, root);
  }

  private async refresh(): Promise<PhonePolicyState> {
    const outcome = await this.readRoot();
    const now = this.clock.now();
    if (outcome.ok) {
      this.lastFromGraph = outcome.state;
      this.cached = { state: outcome.state, expiresAt: now + this.cacheMs };
      return outcome.state;
    }
    // A stale answer from the tenant is closer to the truth than the default.
    const fallback = this.lastFromGraph ?? DEFAULT_PHONE_POLICY;
    this.logger.warn(
      {
        reason: outcome.reason,
        status: outcome.status,
        graphCode: outcome.graphCode,
        requestId: outcome.requestId,
        using: this.lastFromGraph ? 'last_read' : 'default_all_allowed',
      },
      outcome.reason === 'permission_denied'
        ? 'authentication methods policy not readable (grant Policy.Read.AuthenticationMethod); SMS, voice and office phone are offered as allowed'
        : 'authentication methods policy not read; using a fallback',
    );
    this.cached = { state: fallback, expiresAt: now + this.failureCacheMs };
    return fallback;
  }

  private async fetchJson(path: string, token: string): Promise<Record<string, unknown> | Failure> {
    // No retry in the call: a failed read falls back and is retried after failureCacheMs; in-call retries would only add latency.
    const outcome = await this.graph.send({ method: 'GET', path, token });
    const answer = successResponse(outcome);
    if (!answer) return toFailure(outcome);
    return isRecord(answer.body) ? answer.body : { ok: false, reason: 'unreadable' };
  }
}

/** The configuration with this id among the root's expanded ones; Graph matches ids without regard to case (Sms, sms). */
function expandedConfiguration(root: Record<string, unknown>, id: string): Record<string, unknown> | undefined {
  const configurations = root.authenticationMethodConfigurations;
  if (!Array.isArray(configurations)) return undefined;
  return configurations.filter(isRecord).find((c) => typeof c.id === 'string' && c.id.toLowerCase() === id);
}

function combine(sms: Record<string, unknown> | Failure, voice: Record<string, unknown> | Failure, root: Record<string, unknown> | Failure): PolicyReadOutcome {
  const failures = [sms, voice, root].filter(isFailure);
  // The reads started together under one time limit: one out of time means the read as a whole was.
  const timedOut = failures.find((f) => f.reason === 'timeout');
  if (timedOut) return timedOut;
  // A refused permission explains more than a parallel 5xx, so it wins.
  const denied = failures.find((f) => f.reason === 'permission_denied');
  if (denied) return denied;
  // Without the root the configurations still count; the migration state is then unknown (nothing hidden).
  const configurationFailure = [sms, voice].find(isFailure);
  if (configurationFailure) return configurationFailure;
  if (isFailure(sms) || isFailure(voice)) return { ok: false, reason: 'unreadable' };
  const smsSummary = summarize(sms);
  const voiceSummary = summarize(voice);
  if (!smsSummary || !voiceSummary) return { ok: false, reason: 'unreadable' };
  return {
    ok: true,
    state: {
      smsEnabled: smsSummary.enabled,
      voiceEnabled: voiceSummary.enabled,
      officePhoneAllowed: readBoolean(voice.isOfficePhoneAllowed),
      source: 'graph',
      migrationState: isFailure(root) ? 'unknown' : readMigrationState(root.policyMigrationState),
    },
    sms: smsSummary,
    voice: voiceSummary,
  };
}

/** Absent, null, `unknownFutureValue` or anything new all mean "not known to be complete". */
function readMigrationState(value: unknown): PolicyMigrationState {
  return MIGRATION_STATES.find((state) => state === value) ?? 'unknown';
}

function summarize(configuration: Record<string, unknown>): MethodConfigurationSummary | undefined {
  const { state } = configuration;
  if (state !== 'enabled' && state !== 'disabled') return undefined;
  const include = targetIds(configuration.includeTargets);
  const exclude = targetIds(configuration.excludeTargets);
  return {
    enabled: state === 'enabled',
    allUsers: include.includes('all_users'),
    includedGroups: include.filter((id) => id !== 'all_users').length,
    excludedGroups: exclude.length,
  };
}

function targetIds(targets: unknown): string[] {
  if (!Array.isArray(targets)) return [];
  return targets
    .filter(isRecord)
    .map((t) => (typeof t.id === 'string' ? t.id : ''))
    .filter((id) => id !== '');
}

/** Graph sends a boolean; some documented samples show the string form, so accept both. Absent = Graph's default, false. */
function readBoolean(value: unknown): boolean {
  return value === true || value === 'true';
}

function toFailure(outcome: GraphOutcome): Failure {
  if (outcome.kind === 'timeout') return { ok: false, reason: 'timeout' };
  // No HTTP answer at all (DNS, TLS, connection reset).
  if (outcome.kind === 'network') return { ok: false, reason: 'unavailable' };
  const status = outcome.status;
  const details = {
    status,
    ...(outcome.graphCode ? { graphCode: outcome.graphCode } : {}),
    ...(outcome.requestId ? { requestId: outcome.requestId } : {}),
  };
  if (status === 401 || status === 403) return { ok: false, reason: 'permission_denied', ...details };
  if (status === 429 || status >= 500) return { ok: false, reason: 'unavailable', ...details };
  return { ok: false, reason: 'unreadable', ...details };
}

function isFailure(value: Record<string, unknown> | Failure): value is Failure {
  return value.ok === false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorSummary(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
