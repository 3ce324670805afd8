import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ConversationState, MemoryStorage, TestAdapter, type Activity, type ResourceResponse, type TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs';
import { CardRenderer } from '../../src/cards/card-renderer';
import { CardViews } from '../../src/cards/card-views';
import { GUIDED_DIALOG, GuidedDialog, type GuidedResult } from '../../src/dialogs/guided-dialog';
import type { GuidedReason } from '../../src/dialogs/guided-steps';
import type { Locale } from '../../src/i18n/locale';
import { createLogger } from '../../src/logging/logger';
import { actionOf, cardOf, cardText, type CardAction, type CardJson } from '../support/card-helpers';
import { validateCard } from '../support/validate-card';

// A portal address other than Microsoft's default proves the configured one reaches the cards.
const PORTAL_URL = 'https://mysignins.example.test/security-info';

/** A TestAdapter that keeps every reply and every card update, and can refuse updates like some clients. */
class RecordingAdapter extends TestAdapter {
  readonly sent: Partial<Activity>[] = [];
  readonly updates: Partial<Activity>[] = [];
  failUpdates = false;

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses = await super.sendActivities(context, activities);
    this.sent.push(...activities);
    return responses;
  }

  override async updateActivity(context: TurnContext, activity: Partial<Activity>): Promise<ResourceResponse | void> {
    if (this.failUpdates) throw new Error('updateActivity is not supported here');
    this.updates.push(activity);
    return super.updateActivity(context, activity);
  }
}

/** The guided dialog alone in a DialogSet, driven through TestAdapter as the bot would drive it. */
class GuidedHarness {
  readonly adapter = new RecordingAdapter();
  readonly results: GuidedResult[] = [];
  readonly logLines: string[] = [];
  private readonly conversationState = new ConversationState(new MemoryStorage());
  private readonly dialogs: DialogSet;
  private counter = 0;

  constructor(private readonly locale: Locale) {
    const sink = new Writable({
      write: (chunk, _enc, done) => {
        this.logLines.push(String(chunk));
        done();
      },
    });
    const views = new CardViews({
      renderer: new CardRenderer(join(__dirname, '..', '..', 'cards')),
      demoMode: false,
      portalUrl: PORTAL_URL,
      helpdeskContact: '',
    });
    const dialog = new GuidedDialog({
      views,
      portalUrl: PORTAL_URL,
      newId: () => `nonce-${++this.counter}`,
      logger: createLogger({ level: 'debug', pretty: false, destination: sink }),
    });
    this.dialogs = new DialogSet(this.conversationState.createProperty<DialogState>('dialogState')).add(dialog);
    this.adapter.onTurnError = async (_context, error) => {
      throw error;
    };
  }

  private async run(activity: Partial<Activity>, begin?: GuidedReason | 'default'): Promise<Partial<Activity>[]> {
    const before = this.adapter.sent.length;
    await this.adapter.processActivity(
      { type: 'message', locale: this.locale === 'ja' ? 'ja-JP' : 'en-US', id: `in-${++this.counter}`, ...activity },
      async (context) => {
        const dc = await this.dialogs.createContext(context);
        if (begin) {
          await dc.beginDialog(GUIDED_DIALOG, begin === 'default' ? { locale: this.locale } : { locale: this.locale, reason: begin });
        } else {
          const result = await dc.continueDialog();
          if (result.status === DialogTurnStatus.complete) this.results.push(result.result as GuidedResult);
        }
        await this.conversationState.saveChanges(context, false);
      },
    );
    return this.adapter.sent.slice(before);
  }

  begin(reason: GuidedReason | 'default' = 'chosen'): Promise<Partial<Activity>[]> {
    return this.run({ text: 'portal' }, reason);
  }

  say(text: string): Promise<Partial<Activity>[]> {
    return this.run({ text });
  }

  /** Presses a submit button of the card (the live one unless an older copy is given). */
  async press(action: string, card: { id?: string; card: CardJson } = this.card()): Promise<Partial<Activity>[]> {
    const button = actionOf(card.card, action);
    if (!button) throw new Error(`no ${action} button on the card`);
    return this.run({ replyToId: card.id, value: { ...button.data } });
  }

  /** A submit with any value, as a tampered or hand-made card would send it. */
  turnWithValue(value: Record<string, string>): Promise<Partial<Activity>[]> {
    return this.run({ replyToId: this.card().id, value });
  }

  /** The last card the bot sent, as it is now (after any in-place update). */
  card(): { id?: string; card: CardJson } {
    for (let i = this.adapter.sent.length - 1; i >= 0; i -= 1) {
      const activity = this.adapter.sent[i]!;
      if (!cardOf(activity)) continue;
      const current = [...this.adapter.updates].reverse().find((u) => u.id === activity.id) ?? activity;
      return { id: activity.id, card: cardOf(current)! };
    }
    throw new Error('the bot sent no card');
  }

  text(): string {
    return cardText(this.card().card);
  }

  actions(): CardAction[] {
    return this.card().card.actions ?? [];
  }

  /** Titles of the submit buttons, in order. */
  buttons(): string[] {
    return this.actions()
      .filter((a) => a.type === 'Action.Submit')
      .map((a) => a.data?.action ?? '');
  }

  get log(): string {
    return this.logLines.join('');
  }
}

/** [action pressed, counter shown after it, texts the card must show] */
type Walk = ReadonlyArray<readonly [string, string, readonly string[]]>;

const WALKS: ReadonlyArray<readonly [Locale, string, Walk]> = [
  [
    'en',
    'first time',
    [
      [
        'guided.first',
        'Step 2 of 5, part 1 of 3',
        [
          'a screen titled “More information required” appears. Click “Next”.',
          'The “More information required” screen',
          'Screen: “More information required”',
          'Button: “Next”',
        ],
      ],
      ['guided.next', 'Step 2 of 5, part 2 of 3', ['click “I want to set up a different method”', 'Link: “I want to set up a different method”']],
      ['guided.next', 'Step 2 of 5, part 3 of 3', ['select “Phone”, then click “Confirm”', 'Select: “Phone”', 'Button: “Confirm”']],
      [
        'guided.next',
        'Step 3 of 5',
        ['country/region', 'Choose “Receive a code”, then click “Next”', 'choose “Call me” and click “Next”', '“Office phone” or “Alternate phone”'],
      ],
      [
        'guided.next',
        'Step 4 of 5',
        [
          'If you chose “Receive a code”',
          'Enter the code in the “Enter code” field and click “Next”',
          'If you chose “Call me”',
          'follow the voice instructions',
        ],
      ],
      ['guided.next', 'Step 5 of 5', ['appears in your Security info list', 'Passkeys and the Microsoft Authenticator app are stronger']],
    ],
  ],
  [
    'en',
    'already registered',
    [
      ['guided.registered', 'Step 2 of 5, part 1 of 2', ['Click “Add method”.', 'Page: “Security info”', 'Button: “Add method”']],
      [
        'guided.next',
        'Step 2 of 5, part 2 of 2',
        ['From the drop-down list', 'Mobile or smartphone: “Phone”', 'Work landline: “Office phone”', 'Home landline: “Phone” or “Alternate phone”'],
      ],
      ['guided.next', 'Step 3 of 5', ['Choose “Receive a code”, then click “Next”', 'choose “Call me”']],
      ['guided.next', 'Step 4 of 5', ['“Enter code”']],
      ['guided.next', 'Step 5 of 5', ['Security info list']],
    ],
  ],
  [
    'ja',
    'first time',
    [
      [
        'guided.first',
        'ステップ 2/5（1/3）',
        ['「詳細情報が必要」という画面が表示されます。「次へ」をクリックします。', '画面: 「詳細情報が必要」', 'ボタン: 「次へ」'],
      ],
      ['guided.next', 'ステップ 2/5（2/3）', ['「別の方法を設定します」をクリックします', 'リンク: 「別の方法を設定します」']],
      ['guided.next', 'ステップ 2/5（3/3）', ['「電話」を選び、「確認」をクリックします', '選択: 「電話」', 'ボタン: 「確認」']],
      [
        'guided.next',
        'ステップ 3/5',
        ['国/地域を選びます', '「コードを受け取る」を選び、「次へ」をクリックします', '「電話する」を選んで「次へ」', '「会社電話」または「代替の電話」'],
      ],
      [
        'guided.next',
        'ステップ 4/5',
        ['「コードの入力」欄にコードを入力し、「次へ」をクリックします', '「電話する」を選んだ場合', '音声の案内に従ってください'],
      ],
      ['guided.next', 'ステップ 5/5', ['セキュリティ情報の一覧に電話が表示されます', 'パスキー']],
    ],
  ],
  [
    'ja',
    'already registered',
    [
      [
        'guided.registered',
        'ステップ 2/5（1/2）',
        ['「サインイン方法の追加」をクリックします', 'ページ: 「セキュリティ情報」', 'ボタン: 「サインイン方法の追加」'],
      ],
      [
        'guided.next',
        'ステップ 2/5（2/2）',
        ['携帯電話・スマートフォン: 「電話」', '職場の固定電話: 「会社電話」', '自宅の固定電話: 「電話」または「代替の電話」'],
      ],
      ['guided.next', 'ステップ 3/5', ['「コードを受け取る」', '「電話する」']],
      ['guided.next', 'ステップ 4/5', ['「コードの入力」']],
      ['guided.next', 'ステップ 5/5', ['セキュリティ情報']],
    ],
  ],
];

describe("guided mode: the guide's steps, both branches, both languages", () => {
  it.each(WALKS)("%s, %s: one card pages through every step with the page's names, then Done ends it", async (locale, _branch, walk) => {
    const h = new GuidedHarness(locale);
    const [intro] = await h.begin();
    const cardId = intro!.id;
    expect(h.text()).toContain(locale === 'en' ? 'Step 1 of 5' : 'ステップ 1/5');
    expect(h.buttons()).toEqual(['guided.first', 'guided.registered', 'guided.close']);

    for (const [action, counter, texts] of walk) {
      const replies = await h.press(action);
      expect(replies).toEqual([]);
      expect(h.card().id).toBe(cardId);
      const text = h.text();
      expect(text.split('\n')[0]).toBe(counter);
      for (const expected of texts) expect(text).toContain(expected);
      expect(h.actions().find((a) => a.type === 'Action.OpenUrl')?.url).toBe(PORTAL_URL);
      expect(validateCard(h.card().card)).toEqual([]);
      if (locale === 'ja') expect(text).not.toMatch(/Next step|Back|Close|Receive a code/);
    }

    expect(h.buttons()).toEqual(['guided.close', 'guided.back']);
    expect(h.actions()[0]?.title).toBe(locale === 'en' ? 'Done' : '完了');
    await h.press('guided.close');
    expect(h.results).toEqual([{ finished: true, lastStep: 'done' }]);
    expect(h.text()).toContain(locale === 'en' ? 'Finished.' : '完了しました。');
    expect(h.text()).toContain(PORTAL_URL);
    expect(h.card().card.actions ?? []).toEqual([]);
    expect(h.adapter.sent).toHaveLength(1);
  });

  it('offers Next step, Back, the portal link and Close on every middle step', async () => {
    const h = new GuidedHarness('en');
    await h.begin();
    await h.press('guided.first');
    expect(h.actions().map((a) => `${a.type}:${a.title}`)).toEqual([
      'Action.Submit:Next step',
      'Action.Submit:Back',
      'Action.OpenUrl:Open Security info',
      'Action.Submit:Close',
    ]);
  });
});

describe('guided mode: the first card', () => {
  it.each([
    ['chosen', 'You chose to register your phone yourself'],
    ['default', 'You chose to register your phone yourself'],
    ['no_write_permission', 'This bot has no permission to change sign-in methods in your organization'],
    ['unverifiable_methods', 'The bot cannot verify the sign-in methods you already have (for example, only the Microsoft Authenticator app)'],
    ['first_phone_policy', 'Your organization asks you to register your first sign-in method on the Security info page itself'],
  ] as const)("says why (%s) and asks the guide's branch question", async (reason, why) => {
    const h = new GuidedHarness('en');
    await h.begin(reason);
    const text = h.text();
    expect(text).toContain(why);
    expect(text).toContain('Have you registered any MFA information before?');
    expect(text).toContain(`go to ${PORTAL_URL}`);
    expect(text).toContain('No, this is my first time');
    expect(validateCard(h.card().card)).toEqual([]);
    expect(h.log).toContain(`"reason":"${reason === 'default' ? 'chosen' : reason}"`);
    await h.press('guided.first');
    expect(h.text()).not.toContain(why);
  });

  it('says why in Japanese too', async () => {
    const h = new GuidedHarness('ja');
    await h.begin('no_write_permission');
    expect(h.text()).toContain('このボットには、組織のサインイン方法を変更する権限がありません');
    expect(h.text()).toContain('以前に MFA 情報を登録したことがありますか?');
    expect(h.text()).toContain('いいえ、初めてです');
  });
});

describe('guided mode: back, close and stale cards', () => {
  it('goes back step by step, to the branch question, and into the other branch', async () => {
    const h = new GuidedHarness('en');
    await h.begin();
    await h.press('guided.registered');
    await h.press('guided.next');
    await h.press('guided.next');
    expect(h.text()).toContain('Step 3 of 5');
    await h.press('guided.back');
    expect(h.text()).toContain('Home landline: “Phone” or “Alternate phone”');
    await h.press('guided.back');
    await h.press('guided.back');
    expect(h.text()).toContain('Have you registered any MFA information before?');
    expect(h.buttons()).not.toContain('guided.back');
    await h.press('guided.first');
    expect(h.text()).toContain('Step 2 of 5, part 1 of 3');
    expect(h.text()).toContain('“More information required”');
  });

  it('closes midway: the card becomes a read-only summary of where the user stopped', async () => {
    const h = new GuidedHarness('ja');
    await h.begin();
    await h.press('guided.first');
    await h.press('guided.next');
    await h.press('guided.close');
    expect(h.results).toEqual([{ finished: false, lastStep: 'a.differentMethod' }]);
    const text = h.text();
    expect(text).toContain('最後に表示したステップ: ステップ 2/5（2/3）: 別の方法を設定する');
    expect(text).toContain(`閉じました。セキュリティ情報はいつでも開けます: ${PORTAL_URL}`);
    expect(h.card().card.actions ?? []).toEqual([]);
    expect(validateCard(h.card().card)).toEqual([]);
  });

  it('answers an older page of the card with "no longer active" and stays where it is', async () => {
    const h = new GuidedHarness('en');
    await h.begin();
    const introPage = h.card();
    await h.press('guided.first');
    const firstPage = h.card();
    await h.press('guided.next');

    for (const [page, action] of [
      [introPage, 'guided.registered'],
      [firstPage, 'guided.next'],
      [firstPage, 'guided.close'],
    ] as const) {
      const replies = await h.press(action, page);
      expect(replies.map((r) => r.text)).toEqual(['That card is no longer active. Please use the latest card below.']);
    }
    expect(h.text()).toContain('Step 2 of 5, part 2 of 3');
    expect(h.results).toEqual([]);
  });

  it('answers a stale card in Japanese', async () => {
    const h = new GuidedHarness('ja');
    await h.begin();
    const introPage = h.card();
    await h.press('guided.registered');
    const replies = await h.press('guided.first', introPage);
    expect(replies.map((r) => r.text)).toEqual(['このカードはもう使えません。下の最新のカードを使ってください。']);
    expect(h.text()).toContain('ステップ 2/5（1/2）');
  });

  it('asks to use the card for typed text and for a button the live card does not have', async () => {
    const h = new GuidedHarness('en');
    await h.begin();
    expect((await h.say('next')).map((r) => r.text)).toEqual(['Please answer with the card above, or type "cancel" to stop.']);
    const nonce = actionOf(h.card().card, 'guided.first')!.data!.nonce!;
    for (const action of ['guided.next', 'guided.back', 'welcome.add']) {
      const replies = await h.turnWithValue({ action, nonce });
      expect(replies.map((r) => r.text)).toEqual(['Please answer with the card above, or type "cancel" to stop.']);
    }
    expect(h.text()).toContain('Step 1 of 5');
  });

  it('sends the next step as a new card when the client cannot update cards', async () => {
    const h = new GuidedHarness('en');
    await h.begin();
    h.adapter.failUpdates = true;
    const replies = await h.press('guided.first');
    expect(replies).toHaveLength(1);
    expect(cardText(cardOf(replies[0]))).toContain('“More information required”');
    await h.press('guided.next');
    expect(h.text()).toContain('Step 2 of 5, part 2 of 3');
    expect(h.adapter.sent).toHaveLength(3);
  });
});
