import type { Attachment } from 'botbuilder';
import type { Choice } from '../cards/card-data';
import type { CardViews } from '../cards/card-views';
import { localeTag, type Locale } from '../i18n/locale';
import { translator } from '../i18n/messages';
import type { CountryChoices, CountryList } from '../phone/country-list';
import { exampleNumber } from '../phone/example-number';
import { parsePhone } from '../phone/parse-phone';
import type { ParsePhoneResult, PhoneRejection, PhoneType } from '../phone/phone-types';
import type { SubmitValue } from './submit-value';

/** Which countries the number card offers and accepts. */
export interface CountryPolicy {
  readonly defaultRegion: string;
  readonly frequentCountries: readonly string[];
  readonly allowedCountries: readonly string[];
}

/** What the number card shows again after an error: what the user typed. */
export interface NumberEntryState {
  locale: Locale;
  phoneType?: PhoneType;
  region: string;
  numberInput: string;
  extensionInput: string;
}

/** The state a phone-entry dialog (adding a phone, changing a number) starts in, before its gate. */
interface PhoneEntryStart extends NumberEntryState {
  userId: string;
  step: 'gate';
  nonce: string;
}

/** The start of a phone-entry dialog: at its gate, no card shown yet, the policy's default country chosen, nothing typed. */
export function startPhoneEntry(options: { readonly locale: Locale; readonly userId: string }, policy: Pick<CountryPolicy, 'defaultRegion'>): PhoneEntryStart {
  return {
    locale: options.locale,
    userId: options.userId,
    step: 'gate',
    nonce: '',
    region: policy.defaultRegion,
    numberInput: '',
    extensionInput: '',
  };
}

/** The guide's step 3 (country/region and number), shared by adding a phone and changing a number. */
export class NumberEntry {
  /** Region names per language, built once (Intl objects are costly to create per turn). */
  private readonly regionNames = new Map<Locale, Intl.DisplayNames>();
  /** The card's list per cached country list, built once rather than on every turn (~245 entries). */
  private readonly cardChoices = new WeakMap<CountryChoices, readonly Choice[]>();

  constructor(private readonly deps: { readonly views: CardViews; readonly countries: CountryList; readonly policy: CountryPolicy }) {}

  /** The number card: default country first, then the frequent ones, then all, with what was typed. */
  card(state: NumberEntryState, error: string, nonce: string): Attachment {
    const choices = this.deps.countries.choices({
      locale: localeTag(state.locale),
      defaultRegion: this.deps.policy.defaultRegion,
      frequent: this.deps.policy.frequentCountries,
      allowed: this.deps.policy.allowedCountries,
    });
    let countries = this.cardChoices.get(choices);
    if (!countries) {
      const frequentRegions = new Set(choices.frequent.map((c) => c.region));
      countries = [...choices.frequent, ...choices.all.filter((c) => !frequentRegions.has(c.region))].map((c) => ({ title: c.title, value: c.region }));
      this.cardChoices.set(choices, countries);
    }
    return this.deps.views.phoneNumber(translator(state.locale), {
      phoneType: state.phoneType ?? 'mobile',
      countries,
      region: state.region,
      number: state.numberInput,
      example: exampleNumber(state.region),
      error,
      nonce,
    });
  }

  /** Keeps what was typed (to show it again) and parses it; an extension (from an older card) is refused there. */
  read(state: NumberEntryState, submit: SubmitValue): ParsePhoneResult {
    state.region = (submit.region ?? state.region).toUpperCase();
    state.numberInput = submit.number ?? '';
    state.extensionInput = submit.extension ?? '';
    return parsePhone({
      number: state.numberInput,
      region: state.region,
      extension: state.extensionInput,
      phoneType: state.phoneType ?? 'mobile',
      allowedCountries: this.deps.policy.allowedCountries,
    });
  }

  /** The user's text for a refused number, naming the country and the allowed ones. */
  rejectionText(state: NumberEntryState, error: PhoneRejection): string {
    const t = translator(state.locale);
    let names = this.regionNames.get(state.locale);
    if (!names) {
      names = new Intl.DisplayNames([localeTag(state.locale)], { type: 'region' });
      this.regionNames.set(state.locale, names);
    }
    const regionNames = names;
    // An unknown region code (from a tampered submit) is shown as typed rather than failing the turn.
    const name = (r: string): string => (/^[A-Z]{2}$/.test(r) ? (regionNames.of(r) ?? r) : r);
    return t(`phoneError.${error}`, {
      country: name(state.region),
      allowed: this.deps.policy.allowedCountries.map(name).join(', '),
    });
  }
}
