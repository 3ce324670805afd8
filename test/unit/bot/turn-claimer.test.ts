import type { Activity } from 'botbuilder';
import type { ClaimResult } from '../../../src/bot/submit-claims';
import { TurnClaimer } from '../../../src/bot/turn-claimer';

/** Claims as a shared store decides them: the first claim of a key wins. */
function claims(): { claim: (conversationId: string, key: string) => Promise<ClaimResult>; keys: string[] } {
  const keys: string[] = [];
  return {
    keys,
    claim: async (conversationId, key) => {
      const full = `${conversationId}/${key}`;
      if (keys.includes(full)) return 'duplicate';
      keys.push(full);
      return 'claimed';
    },
  };
}

const submit = (nonce: string): Partial<Activity> => ({
  type: 'message',
  id: 'activity-1',
  conversation: { id: 'a:conv' } as never,
  value: { action: 'method.sms', nonce },
});

describe('TurnClaimer', () => {
  it("claims a card submit by its nonce once per turn, and releases the turn's held replies", async () => {
    const store = claims();
    let released = 0;
    const claimer = new TurnClaimer(submit('nonce-1'), store, { release: async () => void released++ });
    await expect(claimer.claim()).resolves.toBe(true);
    await expect(claimer.claim()).resolves.toBe(true);
    expect(store.keys).toEqual(['a:conv/nonce-1']);
    expect(released).toBe(1);
    expect(claimer.claimed).toBe(true);
    expect(claimer.duplicate).toBe(false);
  });

  it('refuses a second turn of the same submit and keeps its replies held', async () => {
    const store = claims();
    await new TurnClaimer(submit('nonce-1'), store, { release: async () => undefined }).claim();
    let released = 0;
    const second = new TurnClaimer(submit('nonce-1'), store, { release: async () => void released++ });
    await expect(second.claim()).resolves.toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.claimed).toBe(false);
    expect(released).toBe(0);
  });

  it("keys a typed message by its activity id, and claims the service's own events without a record", async () => {
    const store = claims();
    const typed = new TurnClaimer({ type: 'message', id: 'm-7', conversation: { id: 'a:conv' } as never, text: '123456' }, store, {
      release: async () => undefined,
    });
    await expect(typed.claim()).resolves.toBe(true);
    const event = new TurnClaimer({ type: 'event', name: 'callOutcome', conversation: { id: 'a:conv' } as never }, store, { release: async () => undefined });
    await expect(event.claim()).resolves.toBe(true);
    expect(store.keys).toEqual(['a:conv/message:m-7']);
  });
});
