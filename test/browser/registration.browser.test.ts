import { translator } from '../../src/i18n/messages';
import { useBrowserSessions } from './support/browser-harness';
import { chooseType, enterNumber } from './support/steps';

const t = translator('en');

describe('registering a phone in Agents Playground (English)', () => {
  const sessions = useBrowserSessions();

  it('registers a mobile phone with a code received by text message', async () => {
    const session = await sessions.start();
    const { chat } = session;
    const masked = '+81 XXXXXX5678';

    await chat.card(t('welcome.title'));
    await chat.sees(t('welcome.noMethods'));
    const number = await chooseType(chat, t, 'mobile');
    await enterNumber(chat, t, number, 'Japan (+81)', '090-1234-5678');

    const method = await chat.card(t('methodStep.title', { number: masked }));
    await chat.press(method, t('methodStep.sms'));

    const code = await chat.card(t('codeStep.sent', { number: masked, minutes: 10 }));
    await chat.type(code, t('codeStep.label'), await session.latestCodeOnPhone('sms'));
    await chat.press(code, t('codeStep.verify'));

    const done = await chat.card(t('register.doneTitle'));
    await chat.sees(t('register.doneText', { type: t('type.mobile'), number: masked }));
    // Numbers are written with no-break spaces on cards (so they do not wrap); read them as a person does.
    expect((await done.innerText()).replace(/\u00a0/g, ' ')).toContain(masked);
    expect(await session.phoneCount('sms')).toBe(1);
  });

  it('registers an office phone (a direct line: no extension field) by a call that keys the code shown in the card', async () => {
    const session = await sessions.start();
    const { chat } = session;
    const masked = '+81 XXXXX5678';

    const number = await chooseType(chat, t, 'office');
    await chat.sees(t('numberStep.extensionNote'));
    await enterNumber(chat, t, number, 'Japan (+81)', '03-1234-5678');

    // An office phone gets no text messages: the card says so and offers only the call.
    const method = await chat.card(t('methodStep.title', { number: masked }));
    await chat.sees(t('methodStep.smsUnavailable'));
    expect(await method.getByRole('button', { name: t('methodStep.sms'), exact: true }).count()).toBe(0);
    await chat.press(method, t('methodStep.call'));

    const callMe = await chat.card(t('callStep.title', { number: masked }));
    await chat.sees(/rings from/);
    await chat.press(callMe, t('callStep.start'));

    const calling = await chat.card(t('callStep.codeLabel'));
    const shown = /(\d{3}) (\d{3})/.exec(await calling.innerText());
    expect(shown).not.toBeNull();
    expect(await session.latestCodeOnPhone('call')).toBe(`${shown![1]}${shown![2]}`);

    // The demo phone answers after a moment and keys the code; the card then says it is done.
    const done = await chat.card(t('register.doneTitle'));
    await chat.sees(t('register.doneText', { type: t('type.office'), number: masked }));
    expect(await done.innerText()).not.toContain('123');
    expect(await session.phoneCount('sms')).toBe(0);
  });
});
