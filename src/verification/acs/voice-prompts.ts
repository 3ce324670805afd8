import type { Locale } from '../../i18n/locale';
import { translate } from '../../i18n/messages';

/** What the verification call says, in one language. */
export interface VoicePrompts {
  /** Neural voice that reads the prompts. */
  readonly voiceName: string;
  /** First prompt after the callee answers. */
  readonly askCode: string;
  /** Played once when the first prompt got no (or unusable) keypad input. */
  readonly askCodeAgain: string;
  /** After the digits arrived. */
  readonly thanks: string;
  /** After the second prompt also failed. */
  readonly goodbye: string;
}

/** Neural voices per language: a voice that speaks the language natively. */
const VOICES: Readonly<Record<Locale, string>> = { en: 'en-US-JennyNeural', ja: 'ja-JP-NanamiNeural' };

function promptsFor(locale: Locale): VoicePrompts {
  return {
    voiceName: VOICES[locale],
    askCode: translate(locale, 'voice.askCode'),
    askCodeAgain: translate(locale, 'voice.askCodeAgain'),
    thanks: translate(locale, 'voice.thanks'),
    goodbye: translate(locale, 'voice.goodbye'),
  };
}

/** Voice prompts for every bot language, from the message catalogs; the prompts never contain the code. */
export const VOICE_PROMPTS: Readonly<Record<Locale, VoicePrompts>> = { en: promptsFor('en'), ja: promptsFor('ja') };
