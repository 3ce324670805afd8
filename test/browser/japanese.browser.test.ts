import { translator } from '../../src/i18n/messages';
import { useBrowserSessions } from './support/browser-harness';
import { chooseType, enterNumber } from './support/steps';

const ja = translator('ja');
const en = translator('en');
const MASKED = '+81 XXXXXX5678';

/**
 * Agents Playground always sends `locale: en-US`; the session's relay rewrites it to ja-JP, as a Teams
 * client set to Japanese sends it. Everything else is the Playground's own UI.
 */
describe('registering a phone from a Japanese Teams client', () => {
  const sessions = useBrowserSessions();

  it('talks Japanese from the welcome card to the confirmation, accepting a full-width number', async () => {
    const session = await sessions.start({ locale: 'ja-JP' });
    const { chat } = session;

    const welcome = await chat.card(ja('welcome.title'));
    expect(await welcome.innerText()).not.toContain(en('welcome.add'));
    const number = await chooseType(chat, ja, 'mobile');
    await enterNumber(chat, ja, number, '日本 (+81)', '０９０-１２３４-５６７８');

    const method = await chat.card(ja('methodStep.title', { number: MASKED }));
    await chat.press(method, ja('methodStep.sms'));

    const codeCard = await chat.card(ja('codeStep.sent', { number: MASKED, minutes: 10 }));
    await chat.type(codeCard, ja('codeStep.label'), await session.latestCodeOnPhone('sms'));
    await chat.press(codeCard, ja('codeStep.verify'));

    const done = await chat.card(ja('register.doneTitle'));
    await chat.sees(ja('register.doneText', { type: ja('type.mobile'), number: MASKED }));
    expect(await done.innerText()).not.toContain(en('register.doneTitle'));
  });
});
