import type { Locale } from '../../i18n/locale';

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

/** Voice prompts for every bot language; the prompts never contain the code itself. */
export const VOICE_PROMPTS: Readonly<Record<Locale, VoicePrompts>> = {
  en: {
    voiceName: 'en-US-JennyNeural',
    askCode:
      'Hello. This is the phone verification call you requested in Microsoft Teams. ' +
      'Please enter the 6-digit code shown in Teams on your phone keypad now.',
    askCodeAgain: 'We did not receive the code. Please enter the 6-digit code shown in Teams on your phone keypad.',
    thanks: 'Thank you. Please return to Teams to continue. Goodbye.',
    goodbye: 'We could not receive the code. Please return to Teams to try again. Goodbye.',
  },
  ja: {
    voiceName: 'ja-JP-NanamiNeural',
    askCode:
      'こちらは、Microsoft Teams でご依頼いただいた電話番号の確認のお電話です。' +
      'Teams に表示されている 6 桁のコードを、電話のキーパッドで入力してください。',
    askCodeAgain: 'コードを受け取れませんでした。Teams に表示されている 6 桁のコードを、電話のキーパッドで入力してください。',
    thanks: 'ありがとうございました。Teams に戻って手続きを続けてください。失礼いたします。',
    goodbye: 'コードを受け取れませんでした。Teams に戻って、もう一度お試しください。失礼いたします。',
  },
};
