import type { StoreItem, StoreItems } from 'botbuilder';
import type { StateStorage } from '../../src/storage/state-storage';
import { cardText } from '../support/card-helpers';
import { DialogHarness } from '../support/dialog-harness';

const CONVERSATION_KEY = 'msteams/conversations/a:conv-1/';

/**
 * Storage through which "another instance" saves the conversation right after this instance read it,
 * once armed: the race of a user's click on one instance with a call outcome on another.
 */
class AnotherInstanceWritesBetween implements StateStorage {
  armed = false;
  constructor(private readonly inner: StateStorage) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items = await this.inner.read(keys);
    const item = items[CONVERSATION_KEY] as Record<string, unknown> | undefined;
    if (this.armed && item) {
      this.armed = false;
      await this.inner.write({ [CONVERSATION_KEY]: { ...item, savedBy: 'instance B' } });
    }
    return items;
  }

  write(changes: StoreItems): Promise<void> {
    return this.inner.write(changes);
  }

  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }

  createItem(key: string, item: StoreItem): Promise<void> {
    return this.inner.createItem(key, item);
  }
}

describe('two turns of one conversation at the same moment', () => {
  it('keeps what the other turn saved, tells the user this answer was not saved, and does not reset the chat', async () => {
    let storage!: AnotherInstanceWritesBetween;
    const h = new DialogHarness({ wrapStorage: (inner) => (storage = new AnotherInstanceWritesBetween(inner)) });
    await h.say('add phone');
    storage.armed = true;
    const replies = await h.press(h.lastCard(), 'type.next', { phoneType: 'mobile' });

    expect(replies.map((r) => r.text)).toContain(
      'Something else happened in this chat at the same moment, so your last answer was not saved. Check the latest messages and try again if you still need to.',
    );
    const saved = (await h.storage.read([CONVERSATION_KEY]))[CONVERSATION_KEY] as Record<string, unknown>;
    expect(saved.savedBy).toBe('instance B');
    expect(saved.dialogState).toBeDefined();
    expect(h.log).toContain('conversation state changed by another turn');
    expect(h.log).not.toContain('turn failed');
  });

  it('keeps what the other turn saved even when telling the user fails', async () => {
    let storage!: AnotherInstanceWritesBetween;
    const h = new DialogHarness({ wrapStorage: (inner) => (storage = new AnotherInstanceWritesBetween(inner)) });
    await h.say('add phone');
    storage.armed = true;
    h.failSendsOf('your last answer was not saved');
    await expect(h.press(h.lastCard(), 'type.next', { phoneType: 'mobile' })).resolves.toBeDefined();
    const saved = (await h.storage.read([CONVERSATION_KEY]))[CONVERSATION_KEY] as Record<string, unknown>;
    expect(saved.savedBy).toBe('instance B');
    expect(h.log).toContain('could not tell the user a step was not saved');
  });

  it('saves normally when nobody else wrote in between', async () => {
    const h = new DialogHarness({ wrapStorage: (inner) => new AnotherInstanceWritesBetween(inner) });
    await h.say('add phone');
    const replies = await h.press(h.lastCard(), 'type.next', { phoneType: 'mobile' });
    expect(replies.map((r) => r.text ?? '')).not.toContain(expect.stringContaining('was not saved'));
    await h.press(h.lastCard(), 'number.next', { region: 'JP', number: '090-1234-5678' });
    // The type step was saved: the number was taken in the mobile dialog, and verification is next.
    expect(cardText(h.lastCard().card)).toContain('+81 XXXXXX5678');
  });
});
