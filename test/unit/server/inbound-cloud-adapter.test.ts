import { ConfigurationBotFrameworkAuthentication, type Activity, type TurnContext } from 'botbuilder';
import { InboundCloudAdapter } from '../../../src/server/inbound-cloud-adapter';
import { StrictBotFrameworkAuthentication } from '../../../src/server/strict-bot-framework-authentication';
import { ConnectorSink } from '../../fakes/connector-sink';

describe('InboundCloudAdapter.answer', () => {
  let sink: ConnectorSink;
  beforeAll(async () => {
    sink = await ConnectorSink.start();
  });
  afterAll(async () => {
    await sink.close();
  });

  function activity(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      type: 'message',
      id: 'in-1',
      channelId: 'msteams',
      serviceUrl: sink.serviceUrl,
      text: 'hi',
      from: { id: '29:user' },
      recipient: { id: '28:bot' },
      conversation: { id: 'a:inbound' },
      ...extra,
    };
  }

  it("runs the turn, with the protocol's timestamps as dates and their raw text kept, and answers 200", async () => {
    const adapter = new InboundCloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    let seen: Activity | undefined;
    const answer = await adapter.answer(
      '',
      activity({ timestamp: '2026-11-28T01:02:03.456Z', localTimestamp: '2026-11-28T10:02:03.456+09:00' }),
      async (context: TurnContext) => {
        seen = context.activity;
        await context.sendActivity('hello');
      },
    );
    expect(answer).toEqual({ status: 200 });
    expect(seen?.timestamp).toEqual(new Date('2026-11-28T01:02:03.456Z'));
    expect(seen?.localTimestamp).toEqual(new Date('2026-11-28T10:02:03.456+09:00'));
    expect((seen as unknown as { rawLocalTimestamp: string }).rawLocalTimestamp).toBe('2026-11-28T10:02:03.456+09:00');
    expect(sink.replies.map((r) => r.text)).toContain('hello');
  });

  it('answers an invoke with the status and body the turn gave', async () => {
    const adapter = new InboundCloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    const answer = await adapter.answer('', activity({ type: 'invoke', name: 'adaptiveCard/action' }), async (context) => {
      await context.sendActivity({ type: 'invokeResponse', value: { status: 207, body: { statusCode: 207 } } });
    });
    expect(answer).toEqual({ status: 207, body: { statusCode: 207 } });
  });

  it('refuses a bad token with 401 "Unauthorized", without printing to the console and without running the turn', async () => {
    const adapter = new InboundCloudAdapter(
      new StrictBotFrameworkAuthentication({ MicrosoftAppId: '7b0c2f7e-3a51-4f0e-9d3c-1b2a3c4d5e6f', MicrosoftAppType: 'MultiTenant' }),
    );
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      let ran = false;
      const answer = await adapter.answer('', activity(), async () => {
        ran = true;
      });
      expect(answer).toEqual({ status: 401, body: 'Unauthorized' });
      expect(ran).toBe(false);
      expect(printed).not.toHaveBeenCalled();
    } finally {
      printed.mockRestore();
    }
  });

  it('lets any other failure through, for the endpoint to answer 500 and log', async () => {
    const adapter = new InboundCloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    await expect(
      adapter.answer('', activity(), async () => {
        throw new Error('turn failed');
      }),
    ).rejects.toThrow('turn failed');
  });
});
