import { TestAdapter, TurnContext, type Activity, type ResourceResponse } from 'botbuilder';
import pino from 'pino';
import { TurnOutbox } from '../../../src/bot/turn-outbox';

/** An adapter that records what reaches it, in order, and gives each sent activity an id. */
class RecordingAdapter extends TestAdapter {
  readonly arrived: string[] = [];

  override async sendActivities(_context: TurnContext, activities: Array<Partial<Activity>>): Promise<ResourceResponse[]> {
    return activities.map((activity) => {
      this.arrived.push(`send ${activity.type}${activity.text ? ` ${activity.text}` : ''}`);
      return { id: `id-${this.arrived.length}` };
    });
  }

  override async updateActivity(_context: TurnContext, activity: Partial<Activity>): Promise<void> {
    this.arrived.push(`update ${activity.id}`);
  }
}

function turn(): { context: TurnContext; adapter: RecordingAdapter; outbox: TurnOutbox } {
  const adapter = new RecordingAdapter();
  const context = new TurnContext(adapter, {
    type: 'message',
    channelId: 'msteams',
    conversation: { id: 'a:conv' },
    from: { id: 'u' },
    recipient: { id: 'b' },
    text: 'hi',
  } as never);
  return { context, adapter, outbox: new TurnOutbox(context, pino({ level: 'silent' })) };
}

describe('TurnOutbox', () => {
  it('holds messages and card updates until released, then sends them in order; typing passes at once', async () => {
    const { context, adapter, outbox } = turn();
    await context.sendActivity({ type: 'typing' });
    const held = await context.sendActivity('first');
    await context.updateActivity({ type: 'message', id: 'card-1', text: 'summary' });
    await context.sendActivity('second');
    // A held reply has no id yet: it exists only once sent.
    expect(held?.id).toBe('');
    expect(adapter.arrived).toEqual(['send typing']);

    await outbox.release();
    expect(adapter.arrived).toEqual(['send typing', 'update card-1', 'send message first', 'send message second']);
    // From the release on, replies pass at once, with their ids.
    const later = await context.sendActivity('third');
    expect(later?.id).toBe('id-5');
  });

  it('drops what it holds when discarded, and lets later replies pass', async () => {
    const { context, adapter, outbox } = turn();
    await context.sendActivity('would have been sent');
    await context.updateActivity({ type: 'message', id: 'card-1', text: 'summary' });
    outbox.discard();
    await context.sendActivity('already handled');
    expect(adapter.arrived).toEqual(['send message already handled']);
  });

  it('still sends the held messages when a card update fails', async () => {
    const { context, adapter, outbox } = turn();
    adapter.updateActivity = async () => {
      throw new Error('cannot update');
    };
    await context.updateActivity({ type: 'message', id: 'card-1', text: 'summary' });
    await context.sendActivity('next card');
    await expect(outbox.release()).resolves.toBeUndefined();
    expect(adapter.arrived).toEqual(['send message next card']);
  });
});
