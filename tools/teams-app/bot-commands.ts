/** A command from the manifest's command menu, by language; Teams sends the title as the message text. */
export interface BotCommand {
  readonly id: 'add-phone' | 'my-phones' | 'help';
  readonly title: { readonly en: string; readonly ja: string };
}

/**
 * The command menu as written in manifest/ (English in the manifest, Japanese in ja-jp.json), so the bot
 * can recognize the text a Japanese Teams client sends. A unit test keeps this list and the templates equal.
 */
export const BOT_COMMANDS: readonly BotCommand[] = [
  { id: 'add-phone', title: { en: 'add phone', ja: '電話を追加' } },
  { id: 'my-phones', title: { en: 'my phones', ja: '登録済みの電話' } },
  { id: 'help', title: { en: 'help', ja: 'ヘルプ' } },
];
