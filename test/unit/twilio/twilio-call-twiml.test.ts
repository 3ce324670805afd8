import { askCodeTwiml, closingTwiml } from '../../../src/verification/twilio/twilio-call-twiml';
import { translate } from '../../../src/i18n/messages';

describe('TwiML of a verification call', () => {
  it.each([
    ['en', 'en-US'],
    ['ja', 'ja-JP'],
  ] as const)('asks for the code in %s with <Say language="%s"> inside a six-digit keypad <Gather>', (locale, language) => {
    const twiml = askCodeTwiml(locale, 'voice.askCode', 'https://bot.example/api/calls/twilio/gather?callId=c&token=t&attempt=1');
    expect(twiml).toContain(`<Say language="${language}">${translate(locale, 'voice.askCode')}</Say>`);
    expect(twiml).toMatch(/<Gather [^>]*input="dtmf"/);
    expect(twiml).toMatch(/<Gather [^>]*numDigits="6"/);
    expect(twiml).toMatch(/<Gather [^>]*actionOnEmptyResult="true"/);
    // The query's & is escaped in the XML attribute.
    expect(twiml).toContain('action="https://bot.example/api/calls/twilio/gather?callId=c&amp;token=t&amp;attempt=1"');
  });

  it('thanks and hangs up', () => {
    expect(closingTwiml('ja', 'voice.thanks')).toMatch(new RegExp(`<Say language="ja-JP">${translate('ja', 'voice.thanks')}</Say><Hangup/></Response>$`));
  });
});
