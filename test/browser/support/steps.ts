import type { Locator } from 'playwright-core';
import type { Translator } from '../../../src/i18n/messages';
import type { PhoneType } from '../../../src/phone/phone-types';
import type { PlaygroundChat } from '../../../tools/screenshots/playground-chat';

/** From the welcome card to the number card: "Add a phone", pick the type, "Next". */
export async function chooseType(chat: PlaygroundChat, t: Translator, type: PhoneType): Promise<Locator> {
  const welcome = await chat.card(t('welcome.title'));
  await chat.press(welcome, t('welcome.add'));
  const typeCard = await chat.card(t('typeStep.title'));
  await chat.pick(typeCard, `${t(`type.${type}`)}:`);
  await chat.press(typeCard, t('common.next'));
  return chat.card(t('numberStep.title', { type: t(`type.${type}`) }));
}

/** On the number card: choose the country in the dropdown, type the number, "Next". */
export async function enterNumber(chat: PlaygroundChat, t: Translator, card: Locator, country: string, number: string): Promise<void> {
  await chat.choose(card, t('numberStep.countryLabel'), country);
  await chat.type(card, t('numberStep.numberLabel'), number);
  await chat.press(card, t('common.next'));
}

/** A code that differs from `code` in every digit. */
export function wrongCode(code: string): string {
  return code.replace(/\d/g, (digit) => String((Number(digit) + 5) % 10));
}
