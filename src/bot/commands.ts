/** What a typed message asks for; anything else is answered with the welcome card or a hint. */
export type Command = 'add' | 'manage' | 'list' | 'help' | 'cancel';

const WORDS: ReadonlyArray<readonly [Command, readonly string[]]> = [
  ['add', ['add phone', 'add a phone', 'add', 'register', '電話を追加', '追加', '登録']],
  ['manage', ['change phone', 'remove phone', 'change', 'remove', 'manage', '変更', '削除', '変更または削除']],
  ['list', ['my phones', 'phones', 'list', 'status', '登録済みの電話', '一覧']],
  ['help', ['help', '?', 'ヘルプ', '使い方']],
  ['cancel', ['cancel', 'stop', 'quit', 'キャンセル', 'やめる', '中止']],
];

/** Recognizes the few commands the help card lists, in English and Japanese, ignoring case and a bot @mention. */
export function recognizeCommand(text: unknown): Command | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  const normalized = text
    .normalize('NFKC')
    .replace(/<at>[^<]*<\/at>/gi, '')
    .trim()
    .toLowerCase()
    .replace(/[.!。！]+$/u, '');
  for (const [command, words] of WORDS) {
    if (words.includes(normalized)) return command;
  }
  return undefined;
}
