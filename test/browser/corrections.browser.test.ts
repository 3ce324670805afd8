import { translator } from '../../src/i18n/messages';
import { useBrowserSessions } from './support/browser-harness';
import { chooseType, enterNumber, wrongCode } from './support/steps';

const t = translator('en');
const MASKED = '+81 XXXXXX5678';

describe('correcting mistakes in Agents Playground', () => {
  const sessions = useBrowserSessions();

  it('says why a number is invalid, keeps what was typed, and goes on once number and country are corrected', async () => {
    // The default country is the United States; the person forgets to switch it and drops a digit.
    const session = await sessions.start({ env: { DEFAULT_REGION: 'US' } });
    const { chat } = session;

    const number = await chooseType(chat, t, 'mobile');
    await chat.type(number, t('numberStep.numberLabel'), '090-1234-567');
    await chat.press(number, t('common.next'));

    const invalid = t('phoneError.invalid_for_region', { country: 'United States' });
    const retry = await chat.card(invalid);
    // The error is written out with a warning sign, not shown by colour alone.
    await chat.sees(`⚠ ${invalid}`);
    expect(await retry.getByRole('textbox', { name: t('numberStep.numberLabel') }).inputValue()).toBe('090-1234-567');
    expect(await retry.getByRole('combobox', { name: t('numberStep.countryLabel') }).inputValue()).toBe('United States (+1)');

    await enterNumber(chat, t, retry, 'Japan (+81)', '090-1234-5678');

    const method = await chat.card(t('methodStep.title', { number: MASKED }));
    expect(await method.innerText()).not.toContain('⚠');
    expect(await session.phoneCount('sms')).toBe(0);
  });

  it('says how many tries are left after a wrong code, then accepts the right one', async () => {
    const session = await sessions.start();
    const { chat } = session;

    const number = await chooseType(chat, t, 'mobile');
    await enterNumber(chat, t, number, 'Japan (+81)', '080 1111 5678');
    await chat.press(await chat.card(t('methodStep.title', { number: MASKED })), t('methodStep.sms'));

    const codeCard = await chat.card(t('codeStep.sent', { number: MASKED, minutes: 10 }));
    // Verify with nothing typed: the card itself says what is missing, under the labelled box.
    await chat.press(codeCard, t('codeStep.verify'));
    const required = codeCard.getByText(t('codeStep.required'));
    await required.waitFor({ state: 'visible' });
    expect(await required.isVisible()).toBe(true);
    const code = await session.latestCodeOnPhone('sms');
    await chat.type(codeCard, t('codeStep.label'), wrongCode(code));
    await chat.press(codeCard, t('codeStep.verify'));

    const wrong = t('codeStep.wrong', { attempts: 4 });
    const retry = await chat.card(wrong);
    await chat.sees(`⚠ ${wrong}`);
    expect(await retry.getByRole('button', { name: t('codeStep.verify'), exact: true }).isVisible()).toBe(true);

    await chat.type(retry, t('codeStep.label'), code);
    await chat.press(retry, t('codeStep.verify'));

    await chat.card(t('register.doneTitle'));
    await chat.sees(t('register.doneText', { type: t('type.mobile'), number: MASKED }));
    // The wrong try cost no new text message.
    expect(await session.phoneCount('sms')).toBe(1);
  });
});
