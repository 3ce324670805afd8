import type { TurnContext } from 'botbuilder';
import { typingWhileSlow } from '../../../src/dialogs/typing-while-slow';

/** A turn context that records what is sent, each send taking `sendMs`. */
function recordingContext(sendMs = 0): { context: TurnContext; sent: string[] } {
  const sent: string[] = [];
  const context = {
    sendActivity: async (activity: { type: string }) => {
      await new Promise((resolve) => setTimeout(resolve, sendMs));
      sent.push(activity.type);
      return { id: `a-${sent.length}` };
    },
  } as unknown as TurnContext;
  return { context, sent };
}

const after = <T>(ms: number, value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));

describe('typing while slow', () => {
  it('shows no typing indicator when the work is quick', async () => {
    const { context, sent } = recordingContext();
    await expect(typingWhileSlow(context, () => after(5, 'done'), 100)).resolves.toBe('done');
    await after(150, undefined);
    expect(sent).toEqual([]);
  });

  it("shows the typing indicator once when the work is slow, and it is out before the work's result is given", async () => {
    const { context, sent } = recordingContext(60);
    const result = await typingWhileSlow(context, () => after(80, 'done'), 30);
    expect(result).toBe('done');
    // The indicator was sent at 30 ms and took 60 ms: it must be out when the caller goes on to reply.
    expect(sent).toEqual(['typing']);
  });

  it("passes the work's error on, and sends nothing after it", async () => {
    const { context, sent } = recordingContext();
    await expect(typingWhileSlow(context, () => Promise.reject(new Error('forbidden')), 100)).rejects.toThrow('forbidden');
    await after(150, undefined);
    expect(sent).toEqual([]);
  });
});
