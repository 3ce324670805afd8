import { join } from 'node:path';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { CardRenderer } from '../../../src/cards/card-renderer';
import { CardViews } from '../../../src/cards/card-views';
import { ConnectorWelcomeSender } from '../../../tools/campaign/welcome-sender';
import { ConnectorSink } from '../../fakes/connector-sink';
import { actionOf, cardOf, cardText, inputOf } from '../../support/card-helpers';
import { DialogHarness, TENANT_ID, USER_ID } from '../../support/dialog-harness';

describe('the welcome card a campaign sends', () => {
  let sink: ConnectorSink;
  beforeEach(async () => {
    sink = await ConnectorSink.start();
  });
  afterEach(async () => sink.close());

  async function sendCampaignCard(locale: 'en' | 'ja'): Promise<{ id?: string; card: NonNullable<ReturnType<typeof cardOf>> }> {
    const views = new CardViews({
      renderer: new CardRenderer(join(__dirname, '..', '..', '..', 'cards')),
      demoMode: false,
      portalUrl: 'https://mysignins.microsoft.com/security-info',
      helpdeskContact: 'the IT helpdesk',
    });
    const sender = new ConnectorWelcomeSender({
      adapter: new CloudAdapter(new ConfigurationBotFrameworkAuthentication({})),
      botAppId: '',
      tenantId: TENANT_ID,
      serviceUrl: sink.serviceUrl,
      views,
      newNonce: () => 'campaign-nonce-1',
      notice: () => '',
      pace: async () => undefined,
      sleep: async () => undefined,
    });
    const sent = await sender.send({ userId: USER_ID, locale, clientActivityId: `campaign-c1-${USER_ID}` });
    expect(sink.created).toEqual([{ conversationId: sent.conversationId, memberId: USER_ID, tenantId: TENANT_ID }]);
    const reply = sink.replies[0];
    expect(reply?.id).toBe(sent.activityId);
    return { id: sent.activityId, card: cardOf(reply)! };
  }

  it('opens the 1:1 chat and, pressed, "Add a phone" leads to the phone-type card exactly as the welcome from "hi" does', async () => {
    const campaign = await sendCampaignCard('en');
    const h = new DialogHarness();
    await h.say('hi');
    const hello = h.lastCard();
    // The same buttons, with the same actions, as the card "hi" brings.
    const actions = (card: typeof hello.card) => (card.actions ?? []).map((a) => [a.title, a.data?.action]);
    expect(actions(campaign.card)).toEqual(actions(hello.card));
    expect(actionOf(campaign.card, 'welcome.add')).toBeDefined();

    await h.press(campaign, 'welcome.add');
    const typeCard = h.lastCard().card;
    expect(inputOf(typeCard, 'phoneType')?.choices?.map((c) => c.value)).toEqual(expect.arrayContaining(['mobile']));
  });

  it('speaks Japanese to someone whose Entra preferred language is Japanese', async () => {
    const campaign = await sendCampaignCard('ja');
    const h = new DialogHarness({ locale: 'ja-JP' });
    await h.say('hi');
    expect(cardText(campaign.card).slice(0, 40)).toBe(cardText(h.lastCard().card).slice(0, 40));
    expect(cardText(campaign.card)).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    expect(sink.replies[0]?.locale).toBe('ja-JP');
  });
});
