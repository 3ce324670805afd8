import { join } from 'node:path';
import { ConversationState } from 'botbuilder';
import { ETagGuardedStorage } from '../storage/etag-guarded-storage';
import { GroupAccess } from '../bot/group-access';
import { PhoneMfaBot } from '../bot/phone-mfa-bot';
import { SubmitClaims } from '../bot/submit-claims';
import { TurnQueue } from '../bot/turn-queue';
import type { CardStateWait } from '../bot/card-state-wait';
import { CardRenderer } from '../cards/card-renderer';
import { CardViews } from '../cards/card-views';
import type { Config } from '../config/config';
import type { PhoneDirectory } from '../directory/phone-directory';
import { AddPhoneDialog } from '../dialogs/add-phone-dialog';
import { GuidedDialog } from '../dialogs/guided-dialog';
import { ManagePhonesDialog } from '../dialogs/manage-phones-dialog';
import { NumberEntry } from '../dialogs/number-entry';
import { StepUpDialog } from '../dialogs/step-up-dialog';
import { StepUpRecords, type StepUpRecord } from '../dialogs/step-up-records';
import { VerifyPhoneDialog } from '../dialogs/verify-phone-dialog';
import type { Logger } from '../logging/logger';
import { CountryList } from '../phone/country-list';
import type { Clock } from '../time/clock';
import { CodeVerifier } from '../verification/code-verifier';
import { PendingCalls } from '../verification/pending-calls';
import type { PhoneDelivery } from '../verification/phone-delivery';
import { AccountGuard } from '../verification/account-guard';
import { SendLimiter } from '../verification/send-limiter';
import type { BackgroundDeliveries } from '../dialogs/ports/background-deliveries';
import { chatDeepLink } from '../teams-links/deep-links';
import { packageRoot } from './package-root';
import { PhoneAvailability } from '../policy/phone-availability';
import type { PhonePolicyReader } from '../policy/phone-policy';
import type { StateStorage } from '../storage/state-storage';
import { configuredSmsCoverage } from './provider-sms-coverage';

export interface CreateBotOptions {
  readonly config: Pick<
    Config,
    'demoMode' | 'phone' | 'verification' | 'helpdesk' | 'limits' | 'bot' | 'telephony' | 'access' | 'acs' | 'twilio' | 'deliveryRoutes'
  >;
  readonly directory: PhoneDirectory;
  readonly delivery: PhoneDelivery;
  readonly storage: StateStorage;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly logger: Logger;
  /** Runs slow sends after the turn; built by the caller because it needs the adapter. */
  readonly background: BackgroundDeliveries;
  /** The tenant's authentication methods policy (Graph in production, static in the demo). */
  readonly policyReader: PhonePolicyReader;
  /** How long an answer to a card waits for the state that makes it valid (tests inject the timers). */
  readonly cardStateWait?: CardStateWait;
}

export interface BotParts {
  readonly bot: PhoneMfaBot;
  readonly pendingCalls: PendingCalls;
  readonly views: CardViews;
}

/** Minutes a verification code stays valid (NIST: at most 10). */
const CODE_TTL_MINUTES = 10;
// Found from package.json, not by counting folders: the admin tools run this file from a deeper build folder.
const CARDS_DIR = join(packageRoot(__dirname), 'cards');

/** Wires the bot and its dialogs; shared by the service and the dialog tests. */
export function createBot(options: CreateBotOptions): BotParts {
  const { config, directory, delivery, storage, clock, newId, logger, background } = options;
  const views = new CardViews({
    renderer: new CardRenderer(CARDS_DIR),
    demoMode: config.demoMode,
    portalUrl: config.helpdesk.portalUrl,
    helpdeskContact: config.helpdesk.contact,
  });
  const pendingCalls = new PendingCalls(storage, clock);
  const smsCoverage = configuredSmsCoverage(config);
  // Saved only over the version the turn read: a turn that lost a race is refused, not written over the winner.
  const conversationState = new ConversationState(new ETagGuardedStorage(storage));
  const availability = new PhoneAvailability({
    policy: options.policyReader,
    clock,
    retirementDate: config.telephony.retirementDate,
    providerConfigured: config.telephony.providerConfigured,
    portalUrl: config.helpdesk.portalUrl,
  });
  const stepUps = new StepUpRecords(conversationState.createProperty<StepUpRecord | undefined>('stepUp'), clock);
  const verifyPhoneDialog = new VerifyPhoneDialog({
    verifier: new CodeVerifier({ secret: config.verification.secret, clock, ttlMs: CODE_TTL_MINUTES * 60_000 }),
    delivery,
    views,
    pendingCalls,
    clock,
    logger,
    newId,
    codeMinutes: CODE_TTL_MINUTES,
    limiter: new SendLimiter({
      storage,
      clock,
      limits: {
        perUserPerHour: config.limits.userPerHour,
        perUserPerDay: config.limits.userPerDay,
        perNumberPer10Minutes: config.limits.numberPer10Min,
        perCountryPerDay: config.limits.countryPerDay,
      },
    }),
    guard: new AccountGuard({
      storage,
      clock,
      maxConsecutiveFailures: config.limits.guardMaxFailures,
      blockDurationMs: config.limits.guardBlockMinutes * 60_000,
    }),
    background,
    callerIdDisplay: config.verification.callerIdDisplay,
    availability,
    portalUrl: config.helpdesk.portalUrl,
    // Texts go where the route table sends them; ACS reaches some countries only through Messaging Connect.
    ...(smsCoverage ? { smsCoverage } : {}),
  });
  const stepUpDialog = new StepUpDialog({
    directory,
    views,
    stepUps,
    defaultRegion: config.phone.defaultRegion,
    allowedCountries: config.phone.allowedCountries,
    logger,
    newId,
  });
  const countries = new CountryList();
  const addPhoneDialog = new AddPhoneDialog({
    directory,
    views,
    countries,
    policy: {
      defaultRegion: config.phone.defaultRegion,
      frequentCountries: config.phone.frequentCountries,
      allowedCountries: config.phone.allowedCountries,
      allowedTypes: config.phone.allowedTypes,
    },
    stepUps,
    availability,
    portalUrl: config.helpdesk.portalUrl,
    firstPhonePolicy: config.access.firstPhonePolicy,
    logger,
    newId,
  });
  const managePhonesDialog = new ManagePhonesDialog({
    directory,
    views,
    numbers: new NumberEntry({ views, countries, policy: config.phone }),
    policy: config.phone,
    stepUps,
    logger,
    newId,
  });
  const guidedDialog = new GuidedDialog({ views, portalUrl: config.helpdesk.portalUrl, newId, logger });
  const bot = new PhoneMfaBot({
    conversationState,
    dialogs: [addPhoneDialog, managePhonesDialog, stepUpDialog, verifyPhoneDialog, guidedDialog],
    directory,
    views,
    turnQueue: new TurnQueue(),
    submitClaims: new SubmitClaims(storage),
    logger,
    demoMode: config.demoMode,
    allowedTypes: config.phone.allowedTypes,
    newId,
    guardPolicy: { tenantId: config.bot.tenantId, teamsOnly: !config.demoMode },
    availability,
    chatLink: config.bot.appId ? chatDeepLink(config.bot.appId) : '',
    ...(options.cardStateWait ? { cardStateWait: options.cardStateWait } : {}),
    ...(config.access.allowedGroupId
      ? {
          access: {
            gate: new GroupAccess({ directory, groupId: config.access.allowedGroupId, clock, logger }),
            helpdeskContact: config.helpdesk.contact,
            portalUrl: config.helpdesk.portalUrl,
          },
        }
      : {}),
  });
  return { bot, pendingCalls, views };
}
