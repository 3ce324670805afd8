import twilio from 'twilio';
import type { Locale } from '../../i18n/locale';
import { translate } from '../../i18n/messages';

/** `<Say language>` per bot language (https://www.twilio.com/docs/voice/twiml/say#language). */
const SAY_LANGUAGE = { en: 'en-US', ja: 'ja-JP' } as const satisfies Record<Locale, string>;
const CODE_LENGTH = 6;
/** Seconds of keypad silence before Twilio gives up on a prompt. */
const GATHER_TIMEOUT_SECONDS = 10;

/**
 * Asks for the code: `<Gather input="dtmf" numDigits="6" actionOnEmptyResult="true">` around the
 * prompt, so Twilio posts the digits (or an empty result) to `action`
 * (https://www.twilio.com/docs/voice/twiml/gather). The prompt never contains the code.
 */
export function askCodeTwiml(locale: Locale, prompt: 'voice.askCode' | 'voice.askCodeAgain', action: string): string {
  const response = new twilio.twiml.VoiceResponse();
  const gather = response.gather({
    input: ['dtmf'],
    numDigits: CODE_LENGTH,
    timeout: GATHER_TIMEOUT_SECONDS,
    actionOnEmptyResult: true,
    action,
    method: 'POST',
  });
  gather.say({ language: SAY_LANGUAGE[locale] }, translate(locale, prompt));
  return response.toString();
}

/** Says the closing line and hangs up. */
export function closingTwiml(locale: Locale, line: 'voice.thanks' | 'voice.goodbye'): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say({ language: SAY_LANGUAGE[locale] }, translate(locale, line));
  response.hangup();
  return response.toString();
}

/** Hangs up without a word (a webhook for a call that is over). */
export function hangUpTwiml(): string {
  const response = new twilio.twiml.VoiceResponse();
  response.hangup();
  return response.toString();
}

/** True for a complete code typed on the keypad. */
export function isCompleteCode(digits: string): boolean {
  return /^[0-9]{6}$/.test(digits) && digits.length === CODE_LENGTH;
}
