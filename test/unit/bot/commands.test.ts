import { MAX_COMMAND_TEXT_LENGTH, recognizeCommand, type Command } from '../../../src/bot/commands';

describe('recognizeCommand', () => {
  it.each<[unknown, Command | undefined]>([
    ['add phone', 'add'],
    ['Add Phone', 'add'],
    ['ＡＤＤ ＰＨＯＮＥ！', 'add'],
    ['register.', 'add'],
    ['  help  ', 'help'],
    ['help!!!', 'help'],
    ['help.!。！', 'help'],
    ['?', 'help'],
    ['？', 'help'],
    ['電話を追加', 'add'],
    ['登録。', 'add'],
    ['ﾍﾙﾌﾟ', 'help'],
    ['変更または削除', 'manage'],
    ['my phones', 'list'],
    ['キャンセル', 'cancel'],
    ['<at>Phone MFA Setup</at> add phone', 'add'],
    ['<AT>Bot</AT>help', 'help'],
    ['stop', 'cancel'],
    // Punctuation only counts at the end, after spaces are trimmed.
    ['help !', undefined],
    ['.help', undefined],
    ['hi', undefined],
    ['add phone please', undefined],
    ['', undefined],
    [undefined, undefined],
    [42, undefined],
    ['.'.repeat(1000), undefined],
  ])('%j → %j', (text, expected) => {
    expect(recognizeCommand(text)).toBe(expected);
  });

  it('still recognizes a command behind the longest @mention the manifest allows and a run of punctuation', () => {
    const mention = `<at>${'N'.repeat(100)}</at>`;
    const text = ` ${mention} 変更または削除${'!'.repeat(20)} `;
    expect(text.length).toBeLessThanOrEqual(MAX_COMMAND_TEXT_LENGTH);
    expect(recognizeCommand(text)).toBe('manage');
  });

  it('recognizes a command typed with characters that NFKC folds (two UTF-16 units each)', () => {
    // Mathematical bold letters are outside the BMP: "𝐫𝐞𝐦𝐨𝐯𝐞 𝐩𝐡𝐨𝐧𝐞" is 23 units for a 12-character word.
    const bold = 'remove phone'.replace(/[a-z]/gu, (c) => String.fromCodePoint(0x1d41a + c.charCodeAt(0) - 0x61));
    expect(bold.length).toBeGreaterThan('remove phone'.length);
    expect(recognizeCommand(bold)).toBe('manage');
  });

  it('does not look at text longer than a command can be, even if it would normalize to one', () => {
    const padded = `help${' '.repeat(MAX_COMMAND_TEXT_LENGTH)}`;
    expect(recognizeCommand(padded.slice(0, MAX_COMMAND_TEXT_LENGTH))).toBe('help');
    expect(recognizeCommand(padded)).toBeUndefined();
  });
});
