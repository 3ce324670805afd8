import { stripTrailing } from '../text/strip-trailing';

/** What a typed message asks for; anything else is answered with the welcome card or a hint. */
export type Command = 'add' | 'manage' | 'list' | 'help' | 'cancel';

const WORDS: ReadonlyArray<readonly [Command, readonly string[]]> = [
  ['add', ['add phone', 'add a phone', 'add', 'register', '電話を追加', '追加', '登録']],
  ['manage', ['change phone', 'remove phone', 'change', 'remove', 'manage', '変更', '削除', '変更または削除']],
  ['list', ['my phones', 'phones', 'list', 'status', '登録済みの電話', '一覧']],
  ['help', ['help', '?', 'ヘルプ', '使い方']],
  ['cancel', ['cancel', 'stop', 'quit', 'キャンセル', 'やめる', '中止']],
];

/** Punctuation a command may end with ("help!", "登録。"); full-width forms are folded by NFKC first. */
const TRAILING_PUNCTUATION = '.!。！';

const MENTION = /<at>[^<]*<\/at>/gi;

const LONGEST_WORD = Math.max(...WORDS.flatMap(([, words]) => words.map((word) => word.length)));

/**
 * Longest typed text that can still be a command, in UTF-16 units before normalizing. NFKC can make
 * text shorter: a character typed as two units (a half-width kana and its separate voiced mark, a
 * mathematical letter outside the BMP) becomes one, so a command word is allowed 3× its length, with
 * room to spare. Teams may put an @mention of the bot in front: `<at>` + the app's name (at most 100
 * characters in the manifest) + `</at>`. The rest is room for spaces and a few `!` or `.` at the end.
 * Longer text is not a command, and is not even normalized.
 */
export const MAX_COMMAND_TEXT_LENGTH = 3 * LONGEST_WORD + '<at></at>'.length + 100 + 64;

/** Recognizes the few commands the help card lists, in English and Japanese, ignoring case and a bot @mention. */
export function recognizeCommand(text: unknown): Command | undefined {
  if (typeof text !== 'string' || text === '' || text.length > MAX_COMMAND_TEXT_LENGTH) return undefined;
  const normalized = stripTrailing(text.normalize('NFKC').replace(MENTION, '').trim().toLowerCase(), TRAILING_PUNCTUATION);
  for (const [command, words] of WORDS) {
    if (words.includes(normalized)) return command;
  }
  return undefined;
}
