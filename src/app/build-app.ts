import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import type * as restify from 'restify';
import { CallOutcomeRouter } from '../bot/call-outcome-router';
import { InboundCloudAdapter } from '../server/inbound-cloud-adapter';
import { createBot } from './create-bot';
import type { PhoneMfaBot } from '../bot/phone-mfa-bot';
import type { Config } from '../config/config';
import { DemoPhoneDirectory } from '../directory/demo-phone-directory';
import { GraphThrottleGate } from '../graph/graph-throttle-gate';
import { GraphPhoneDirectory } from '../directory/graph-phone-directory';
import { GraphTokenProvider } from '../directory/graph-token-provider';
import { CredentialTokenProvider } from '../directory/credential-token-provider';
import { ManagedIdentityCredential } from '@azure/identity';
import type { PhoneDirectory } from '../directory/phone-directory';
import { resolveLocale } from '../i18n/locale';
import { translate } from '../i18n/messages';
import type { Logger } from '../logging/logger';
import { createServer } from '../server/create-server';
import { StrictBotFrameworkAuthentication } from '../server/strict-bot-framework-authentication';
import { systemClock, type Clock } from '../time/clock';
import { DemoDelivery } from '../verification/demo-delivery';
import { DemoOutbox, type DemoMessage, type DemoMessageBook } from '../verification/demo-outbox';
import { SharedDemoOutbox } from '../verification/shared-demo-outbox';
import type { CallOutcomeHandler, PhoneDelivery } from '../verification/phone-delivery';
import { ProactiveBackgroundDeliveries } from '../bot/background-deliveries';
import { registerCallsRoute } from '../server/calls-route';
import { registerStartRoutes } from '../server/start-routes';
import { AuthMethodsPolicyReader } from '../policy/auth-methods-policy';
import type { PhonePolicyReader } from '../policy/phone-policy';
import { StaticPolicyReader } from '../policy/static-policy-reader';
import { createAcsDelivery } from './create-acs-delivery';
import { createTwilioDelivery } from './create-twilio-delivery';
import { registerTwilioCallsRoutes } from '../server/twilio-calls-route';
import { acsRefusedBeforeSending, ProviderRoutingDelivery } from '../verification/provider-routing-delivery';
import { DeliveryRouteTable } from '../verification/delivery-routes';
import { providerSmsCoverage } from './provider-sms-coverage';
import type { SmsCoverage } from '../verification/sms-coverage';
import { createStorage } from '../storage/create-storage';
import type { StateStorage } from '../storage/state-storage';

/** Parts a test (or a later production module) may supply instead of the ones built from config. */
export interface AppOverrides {
  readonly directory?: PhoneDirectory;
  readonly delivery?: (outcomeHandler: () => CallOutcomeHandler) => PhoneDelivery;
  readonly storage?: StateStorage;
  readonly clock?: Clock;
  readonly auth?: BotFrameworkAuthentication;
  readonly newId?: () => string;
  readonly policyReader?: PhonePolicyReader;
  /** Receives each demo message (the console of the person running the demo). */
  readonly onDemoMessage?: (line: string) => void;
}

export interface App {
  readonly server: restify.Server;
  readonly adapter: InboundCloudAdapter;
  readonly bot: PhoneMfaBot;
  readonly demoOutbox?: DemoMessageBook;
  /** Marks the service ready to receive traffic (after listen) or not (while stopping). */
  setReady(ready: boolean): void;
  /** Stops background work (pending demo calls); the caller closes the HTTP server. */
  close(): Promise<void>;
}

/** Wires the whole service from config: the composition every entry point and end-to-end test shares. */
export function buildApp(config: Config, logger: Logger, overrides: AppOverrides = {}): App {
  const clock = overrides.clock ?? systemClock;
  const newId = overrides.newId ?? randomUUID;
  const storage = overrides.storage ?? createStorage(config.storage, logger);

  const auth =
    overrides.auth ??
    (config.demoMode
      ? new StrictBotFrameworkAuthentication({}, { logger })
      : new StrictBotFrameworkAuthentication(
          {
            MicrosoftAppId: config.bot.appId,
            MicrosoftAppPassword: config.bot.appPassword,
            MicrosoftAppType: config.bot.appType,
            MicrosoftAppTenantId: config.bot.tenantId,
          },
          { logger },
        ));
  const adapter = new InboundCloudAdapter(auth);

  // One token provider (one MSAL token cache) for every Graph reader and writer.
  const graphTokens = config.demoMode
    ? undefined
    : config.bot.appType === 'UserAssignedMSI'
      ? new CredentialTokenProvider(new ManagedIdentityCredential({ clientId: config.bot.appId }), logger)
      : new GraphTokenProvider({ clientId: config.bot.appId, clientSecret: config.bot.appPassword, tenantId: config.bot.tenantId, logger });
  const policyReader =
    overrides.policyReader ??
    (graphTokens ? new AuthMethodsPolicyReader({ tokenProvider: graphTokens, baseUrl: config.graph.baseUrl, logger, clock }) : new StaticPolicyReader());
  const directory =
    overrides.directory ??
    (!graphTokens
      ? // With shared storage, several demo instances keep one directory (as they would share one tenant).
        new DemoPhoneDirectory({}, {}, {}, config.storage ? storage : undefined)
      : new GraphPhoneDirectory({
          tokenProvider: graphTokens,
          baseUrl: config.graph.baseUrl,
          logger,
          // Graph throttles per app, so every instance sharing this storage holds its writes on one 429.
          throttleGate: new GraphThrottleGate({ storage, clock, logger }),
        }));

  let outcomeHandler: CallOutcomeHandler | undefined;
  const lateOutcomeHandler = (): CallOutcomeHandler => {
    if (!outcomeHandler) throw new Error('call outcome handler is not wired yet');
    return outcomeHandler;
  };
  const onDemoMessage = (m: DemoMessage): void => overrides.onDemoMessage?.(`📱 ${m.kind.toUpperCase()} to ${m.to}: ${m.text}`);
  // With shared storage, `/demo/messages` on any demo instance lists what every instance sent.
  const demoOutbox: DemoMessageBook | undefined =
    config.demoMode && !config.acs
      ? config.storage
        ? new SharedDemoOutbox({ storage, clock, onMessage: onDemoMessage })
        : new DemoOutbox({ onMessage: onDemoMessage })
      : undefined;
  const demoDelivery = demoOutbox
    ? new DemoDelivery({
        outbox: demoOutbox,
        outcomeHandler: lateOutcomeHandler,
        callAnswerDelayMs: config.demo.callAnswerDelayMs,
        onError: (error) => logger.error({ err: error }, 'demo call outcome failed'),
      })
    : undefined;
  const acs = config.acs
    ? createAcsDelivery({ acs: config.acs, publicBaseUrl: config.publicBaseUrl, storage, outcomeHandler: lateOutcomeHandler, logger, clock })
    : undefined;
  const twilio = config.twilio
    ? createTwilioDelivery({ twilio: config.twilio, publicBaseUrl: config.publicBaseUrl, storage, outcomeHandler: lateOutcomeHandler, logger, clock })
    : undefined;
  const coverage = providerSmsCoverage(config);
  const routed =
    acs || twilio
      ? new ProviderRoutingDelivery({
          routes: new DeliveryRouteTable(config.deliveryRoutes),
          providers: {
            ...(acs ? { acs: { delivery: acs.delivery, refusedBeforeSending: acsRefusedBeforeSending, ...withCoverage(coverage.acs) } } : {}),
            ...(twilio ? { twilio: { delivery: twilio.delivery, ...withCoverage(coverage.twilio) } } : {}),
          },
          logger,
        })
      : undefined;
  const delivery = overrides.delivery?.(lateOutcomeHandler) ?? routed ?? demoDelivery;
  if (!delivery) throw new Error('No phone delivery is configured: production needs a real SMS and voice provider');

  // The background runner and the bot need each other; the runner reaches the bot through this closure.
  let botRef: { run(context: TurnContext): Promise<void> } | undefined;
  const background = new ProactiveBackgroundDeliveries({
    adapter,
    bot: { run: (context) => botRef!.run(context) },
    botAppId: config.bot.appId,
    logger,
  });
  const { bot, pendingCalls } = createBot({ config, directory, delivery, storage, clock, newId, logger, background, policyReader });
  botRef = bot;
  outcomeHandler = new CallOutcomeRouter({ adapter, bot, pendingCalls, botAppId: config.bot.appId, logger });
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    // Users get one neutral line; the detail stays in the log with ids support can search for.
    logger.error({ err: error, conversationId: context.activity.conversation?.id, activityId: context.activity.id }, 'turn failed');
    try {
      await context.sendActivity(translate(resolveLocale(context.activity.locale), 'common.unexpectedError'));
      await bot.resetConversation(context);
    } catch (sendError) {
      logger.warn({ err: sendError }, 'could not tell the user about a failed turn');
    }
  };

  let ready = false;
  const server = createServer({
    adapter,
    bot,
    logger,
    maxBodyBytes: config.server.maxBodyBytes,
    isReady: () => ready,
    demoOutbox,
    extraRoutes: [
      (routes) =>
        registerStartRoutes(routes, {
          publicBaseUrl: config.publicBaseUrl || undefined,
          botAppId: config.bot.appId || undefined,
          teamsAppId: config.teamsApp.appId || undefined,
          catalogAppId: config.teamsApp.catalogAppId || undefined,
          tenantId: config.bot.tenantId || undefined,
          logger: logger.child({ module: 'start-routes' }),
        }),
      ...(acs ? [registerCallsRoute({ voice: acs.voice, logger })] : []),
      ...(twilio ? [registerTwilioCallsRoutes({ voice: twilio.voice, logger })] : []),
    ],
  });

  return {
    server,
    adapter,
    bot,
    demoOutbox,
    setReady: (value) => {
      ready = value;
    },
    close: async () => {
      ready = false;
      // A call outcome still being reported is a conversation turn in progress: let it finish.
      await acs?.voice.drain();
      await twilio?.voice.drain();
      await background.drain();
      await demoDelivery?.close();
      acs?.voice.dispose();
    },
  };
}

function withCoverage(smsCoverage: SmsCoverage | undefined): { smsCoverage?: SmsCoverage } {
  return smsCoverage ? { smsCoverage } : {};
}
