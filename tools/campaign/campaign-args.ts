import type { CampaignNeed } from './campaign-targets';

/** The parsed command line of `npm run campaign -- <subcommand>`. */
export interface CampaignArgs {
  readonly command: 'plan' | 'start' | 'run' | 'status' | 'report' | 'remind' | 'stop';
  readonly group?: string;
  readonly need: CampaignNeed;
  readonly csv?: string;
  /** A text file whose words go above the card (a short note from IT); the card itself is the welcome. */
  readonly messageFile?: string;
  readonly rate: number;
  readonly afterDays?: number;
  readonly campaignId?: string;
  readonly defaultLocale: 'en' | 'ja';
}

const COMMANDS = ['plan', 'start', 'run', 'status', 'report', 'remind', 'stop'] as const;

/** Teams allows 50 requests per second per app per tenant; half of it leaves room for the bot's own replies. */
const DEFAULT_RATE = 25;
const MAX_RATE = 50;

export const USAGE = [
  'Usage: npm run campaign -- <command> [options]',
  '  plan   --group <id|name> [--need phone|any-mfa] [--csv users.csv]   who would be reached (writes nothing)',
  '  start  --group <id|name> [--need …] [--csv …] [--message-file note.txt] [--rate <per second>]  enqueue everyone planned and start reaching them',
  '  run    [--campaign <id>] [--rate <per second>]                         join a started campaign (a second runner, or after a kill)',
  '  status [--campaign <id>]                                               progress and outcomes',
  '  report --csv [--campaign <id>]                                         one line per person',
  '  remind --after <days> [--campaign <id>]                                one reminder to those still not registered',
  '  stop   [--campaign <id>]                                               runners finish the person in hand and stop',
  `  --default-locale en|ja: the language for people without an Entra preferredLanguage (en). --rate: messages per second for all runners together, at most ${MAX_RATE}, default ${DEFAULT_RATE}.`,
];

/** Parses the arguments; a string is the problem to show with the usage. */
export function parseCampaignArgs(argv: readonly string[]): CampaignArgs | string {
  const [command, ...rest] = argv;
  if (!command || !(COMMANDS as readonly string[]).includes(command)) return command ? `Unknown command "${command}"` : 'Say what to do';
  const values = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i]!;
    if (!flag.startsWith('--')) return `Unexpected "${flag}"`;
    const next = rest[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      values.set(flag.slice(2), next);
      i++;
    } else values.set(flag.slice(2), true);
  }
  const text = (name: string): string | undefined => {
    const value = values.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  const need = text('need') ?? 'phone';
  if (need !== 'phone' && need !== 'any-mfa') return '--need is phone or any-mfa';
  const rate = Number(text('rate') ?? DEFAULT_RATE);
  if (!(rate > 0 && rate <= MAX_RATE)) return `--rate is a number of messages per second above 0 and at most ${MAX_RATE} (Teams' limit per app and tenant)`;
  const locale = text('default-locale') ?? 'en';
  if (locale !== 'en' && locale !== 'ja') return '--default-locale is en or ja';
  const after = text('after');
  const afterDays = after === undefined ? undefined : Number(after);
  if (command === 'remind' && !(afterDays !== undefined && afterDays >= 0)) return 'remind needs --after <days>, e.g. --after 7';
  const group = text('group');
  const csv = text('csv');
  if ((command === 'plan' || command === 'start') && !group && !csv) return `${command} needs --group <id|name> or --csv <file>`;
  if (command === 'report' && values.get('csv') !== true) return 'report writes CSV: add --csv';
  const campaignId = text('campaign');
  const messageFile = text('message-file');
  return {
    command: command as CampaignArgs['command'],
    need,
    rate,
    defaultLocale: locale,
    ...(group ? { group } : {}),
    ...(csv && command !== 'report' ? { csv } : {}),
    ...(afterDays !== undefined ? { afterDays } : {}),
    ...(campaignId ? { campaignId } : {}),
    ...(messageFile ? { messageFile } : {}),
  };
}
