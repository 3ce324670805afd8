import type { Activity } from 'botbuilder';
import {
  AseChannelValidation,
  AuthenticationConstants,
  AuthenticationError,
  EmulatorValidation,
  GovernmentConstants,
  SkillValidation,
} from 'botframework-connector';
import type { Logger } from '../logging/logger';
import { timerScheduler, type Scheduler } from '../time/scheduler';
import { systemClock, type Clock } from '../time/clock';
import { checkBearerToken, decodeBearerToken, isBearerHeader } from './check-bearer-token';
import { SigningKeySource, type KeyTiming } from './signing-key-source';
import { ValidationLane } from './validation-lane';

/** Defaults: a few seconds' wait, botbuilder's daily refresh, and a back-off from 1 s to 1 min. */
const DEFAULT_KEY_TIMING: KeyTiming = {
  fetchTimeoutMs: 4_000,
  refreshAfterMs: 24 * 60 * 60 * 1000,
  unknownKidRefreshMs: 5 * 60 * 1000,
  backoff: { firstMs: 1_000, maxMs: 60_000 },
};

export interface SigningKeyGateOptions {
  /** Overrides of DEFAULT_KEY_TIMING. */
  readonly timing?: Partial<KeyTiming>;
  readonly clock?: Clock;
  readonly scheduler?: Scheduler;
  readonly logger?: Logger;
}

/** Where botbuilder fetches keys for channel tokens and for Entra ID (emulator and skill) tokens. */
export interface MetadataUrls {
  readonly channel?: string;
  readonly emulator?: string;
}

interface Route {
  readonly source: SigningKeySource;
  readonly lane: ValidationLane;
}

/**
 * The key availability gate in front of botbuilder's token validation.
 *
 * Why a gate and not our own validator: botbuilder keeps the checks that decide who may talk to the
 * bot (issuer, audience, service URL, endorsements, emulator and skill tokens), and the gate can
 * only refuse, never accept. What botbuilder lacks is a sane way to get the keys (no time limit, no
 * shared fetch, no memory of failures; an outage became a 401 per request and a fetch per request,
 * triggered by any token anyone can mint). The public API has no seam to hand it keys, so the gate
 * fetches the same metadata itself and lets a token reach botbuilder only when the gate holds its
 * key and the signature, lifetime and endorsements already check out with it. botbuilder then
 * fetches only when its own copy lacks that key id, and those calls go through a ValidationLane.
 * botbuilder's periodic refresh is turned off (see BOTBUILDER_KEY_REFRESH_HOURS); the gate's own
 * refresh drops key ids the host no longer publishes. The price: the keys are fetched twice at
 * start (once by each), and a new key id waits for two fetches, each under the time limit.
 */
export class SigningKeyGate {
  private readonly routes = new Map<string, Route>();
  private readonly timing: KeyTiming;
  private readonly clock: Clock;
  private readonly scheduler: Scheduler;
  private readonly log?: Logger;

  constructor(
    private readonly urls: MetadataUrls,
    options: SigningKeyGateOptions = {},
  ) {
    this.timing = { ...DEFAULT_KEY_TIMING, ...options.timing };
    this.clock = options.clock ?? systemClock;
    this.scheduler = options.scheduler ?? timerScheduler;
    this.log = options.logger;
  }

  /**
   * Runs `validate` (botbuilder's validation of this request) when the token's key is available;
   * throws AuthenticationError (401) for a token that cannot be valid, KeysUnavailableError when
   * its key cannot be had now.
   */
  async admit<T>(activity: Activity, authHeader: string, validate: () => Promise<T>): Promise<T> {
    // Any other header botbuilder refuses on its own, without looking for a key.
    if (!isBearerHeader(authHeader)) return validate();
    const token = decodeBearerToken(authHeader);
    if (!token) throw refusal('not a signed JWT');
    if (typeof token.kid !== 'string' || token.kid === '') throw refusal('token names no signing key');
    const { url, channelId } = this.metadataFor(activity, authHeader);
    if (!url) throw refusal('no OpenID metadata is configured for this kind of token');
    const route = this.routeFor(url);
    const key = await route.source.lookup(token.kid);
    if (!key) throw refusal('signing key not published');
    const problem = checkBearerToken(token, key, channelId, this.clock.now());
    if (problem) throw refusal(problem);
    return route.lane.run(token.kid, validate);
  }

  /** The metadata URL botbuilder would take this token's key from (ParameterizedBotFrameworkAuthentication's order). */
  private metadataFor(activity: Activity, authHeader: string): { url?: string; channelId: string } {
    const channelId = typeof activity?.channelId === 'string' ? activity.channelId : '';
    if (AseChannelValidation.isTokenFromAseChannel(channelId)) return { url: AseChannelValidation.MetadataUrl, channelId };
    if (SkillValidation.isSkillToken(authHeader) || EmulatorValidation.isTokenFromEmulator(authHeader)) return { url: this.urls.emulator, channelId };
    return { url: this.urls.channel, channelId };
  }

  private routeFor(url: string): Route {
    let route = this.routes.get(url);
    if (!route) {
      const logger = this.log?.child({ metadataUrl: url });
      route = {
        source: new SigningKeySource({ metadataUrl: url, timing: this.timing, clock: this.clock, scheduler: this.scheduler, logger }),
        lane: new ValidationLane({ timeoutMs: this.timing.fetchTimeoutMs, backoff: this.timing.backoff, clock: this.clock, scheduler: this.scheduler, logger }),
      };
      this.routes.set(url, route);
    }
    return route;
  }
}

/**
 * botbuilder's periodic key refresh, in hours (ConnectorClientOptions.tokenRefreshInterval), set so
 * far off that it never comes: it would fetch without a time limit, and again on every request while
 * the host fails. A key id names one key, so a cached key never goes stale; the gate's refresh
 * decides which key ids are still published.
 */
export const BOTBUILDER_KEY_REFRESH_HOURS = 10 * 365 * 24;

/**
 * The metadata URLs botbuilder takes from these settings, chosen as
 * BotFrameworkAuthenticationFactory chooses them: explicit endpoints when any is set, otherwise
 * the public cloud, or the US government cloud for its ChannelService.
 */
export function metadataUrlsOf(settings: Readonly<Record<string, string | boolean | undefined>>): MetadataUrls {
  const text = (name: string): string | undefined => {
    const value = settings[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const channel = text('ToBotFromChannelOpenIdMetadataUrl') ?? text(AuthenticationConstants.BotOpenIdMetadataKey);
  const emulator = text('ToBotFromEmulatorOpenIdMetadataUrl');
  const explicit =
    ['ToChannelFromBotLoginUrl', 'ToChannelFromBotOAuthScope', 'ToBotFromChannelTokenIssuer', 'CallerId'].some((name) => text(name) !== undefined) ||
    (text('OAuthUrl') ?? text(AuthenticationConstants.OAuthUrlKey)) !== undefined ||
    channel !== undefined ||
    emulator !== undefined;
  if (explicit) return { channel, emulator };
  if (text('ChannelService') === GovernmentConstants.ChannelService) {
    return { channel: GovernmentConstants.ToBotFromChannelOpenIdMetadataUrl, emulator: GovernmentConstants.ToBotFromEmulatorOpenIdMetadataUrl };
  }
  return { channel: AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl, emulator: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl };
}

function refusal(reason: string): AuthenticationError {
  return new AuthenticationError(reason, 401);
}
