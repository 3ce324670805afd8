import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BOT_COMMANDS } from '../../../tools/teams-app/bot-commands';
import { MANIFEST_DIR } from './package-fixtures';

describe('BOT_COMMANDS', () => {
  it('matches the command menu in the manifest and the Japanese localization file', async () => {
    const manifest = JSON.parse(await readFile(path.join(MANIFEST_DIR, 'manifest.template.json'), 'utf8'));
    const ja: Record<string, string> = JSON.parse(await readFile(path.join(MANIFEST_DIR, 'ja-jp.template.json'), 'utf8'));
    const commands: Array<{ title: string }> = manifest.bots[0].commandLists[0].commands;
    expect(commands.map((command) => command.title)).toEqual(BOT_COMMANDS.map((command) => command.title.en));
    expect(commands.map((_command, i) => ja[`bots[0].commandLists[0].commands[${i}].title`])).toEqual(BOT_COMMANDS.map((command) => command.title.ja));
  });
});
