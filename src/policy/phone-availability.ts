import type { Locale } from '../i18n/locale';
import { localeTag } from '../i18n/locale';
import type { Translator } from '../i18n/messages';
import type { Clock } from '../time/clock';
import { honouredPolicy, type PhonePolicyReader, type PhonePolicyState } from './phone-policy';
import { parseRetirementDate, telephonyNotice, type TelephonyNotice } from './telephony-notice';

export interface PhoneAvailabilityOptions {
  readonly policy: PhonePolicyReader;
  readonly clock: Clock;
  readonly retirementDate: string;
  readonly providerConfigured: boolean;
  readonly portalUrl: string;
}

/**
 * What the tenant lets the bot offer today: SMS, calls and office phones from the authentication
 * methods policy, and whether a phone would work for sign-in at all after Microsoft's retirement date.
 */
export class PhoneAvailability {
  /** The retirement date as each language writes it; formatted once (Intl formatters are costly). */
  private readonly dates = new Map<Locale, string>();

  constructor(private readonly options: PhoneAvailabilityOptions) {}

  /** The policy as the conversation applies it: nothing hidden on the word of a policy that is not yet the whole truth. */
  async policy(): Promise<PhonePolicyState> {
    return honouredPolicy(await this.options.policy.read());
  }

  notice(): TelephonyNotice {
    return telephonyNotice({
      today: new Date(this.options.clock.now()),
      retirementDate: this.options.retirementDate,
      providerConfigured: this.options.providerConfigured,
    });
  }

  /** The notice line for the welcome card ('' when none). */
  noticeText(t: Translator, locale: Locale): string {
    const notice = this.notice();
    if (notice === 'none') return '';
    const date = this.retirementDate(locale);
    return notice === 'before_retirement' ? t('notice.beforeRetirement', { date }) : t('notice.afterRetirement', { date, url: this.options.portalUrl });
  }

  private retirementDate(locale: Locale): string {
    let date = this.dates.get(locale);
    if (!date) {
      date = new Intl.DateTimeFormat(localeTag(locale), { dateStyle: 'long', timeZone: 'UTC' }).format(parseRetirementDate(this.options.retirementDate));
      this.dates.set(locale, date);
    }
    return date;
  }

  /**
   * Why no phone should be registered now, as the user's text, or '' when one may: after the
   * retirement date without a provider, or with both SMS and voice turned off by the tenant.
   */
  async refusal(t: Translator, locale: Locale): Promise<string> {
    if (this.notice() === 'after_retirement_no_provider') return this.noticeText(t, locale);
    const policy = await this.policy();
    if (!policy.smsEnabled && !policy.voiceEnabled) return t('policy.phoneOff', { url: this.options.portalUrl });
    return '';
  }
}
