import { ConversationState, TestAdapter, TurnContext, type StatePropertyAccessor, type Storage } from 'botbuilder';
import pino from 'pino';
import { BlobStateStorage } from '../../../src/storage/blob-state-storage';
import { MemoryStateStorage } from '../../../src/storage/memory-state-storage';
import { ETagGuardedStorage, StateConflictError } from '../../../src/storage/etag-guarded-storage';
import { azuriteConnectionString } from '../../support/azurite';
import { uniqueContainer } from '../../support/shared-deployment';

const conversation = { id: 'a:conv-1', conversationType: 'personal' };

function turn(adapter = new TestAdapter()): TurnContext {
  return new TurnContext(adapter, { type: 'message', channelId: 'msteams', conversation, from: { id: 'u' }, recipient: { id: 'b' }, text: 'hi' } as never);
}

async function stored(storage: Storage): Promise<Record<string, unknown>> {
  const key = `msteams/conversations/${conversation.id}/`;
  const items = await storage.read([key]);
  expect(Object.keys(items)).toEqual([key]);
  return items[key] as Record<string, unknown>;
}

/** One conversation's state over a shared store, and its `step` property. */
function conversationState<T>() {
  const storage = new MemoryStateStorage();
  const state = new ConversationState(new ETagGuardedStorage(storage));
  const step = state.createProperty<T>('step');
  /** A whole turn that sets the step and saves. */
  const savedTurn = async (value: T): Promise<void> => {
    const context = turn();
    await step.set(context, value);
    await state.saveChanges(context);
  };
  return { storage, state, step, savedTurn };
}

describe('conversation state over eTag-guarded storage', () => {
  it("refuses to save a turn whose state another turn saved after it was read, and keeps the other turn's", async () => {
    const { storage, state, step, savedTurn } = conversationState<string>();
    await savedTurn('type');

    // Two instances read the same state, both move on; the first to save wins.
    const onA = turn();
    const onB = turn();
    await step.get(onA);
    await step.get(onB);
    await step.set(onB, 'registered');
    await state.saveChanges(onB);
    await step.set(onA, 'cancelled');
    await expect(state.saveChanges(onA)).rejects.toBeInstanceOf(StateConflictError);

    expect((await stored(storage)).step).toBe('registered');
  });

  it("refuses the second of two first turns: a conversation's state is created only if it still has none", async () => {
    const { storage, state, step } = conversationState<string>();
    // Two instances read a conversation that has no state yet, and both save a first step.
    const onA = turn();
    const onB = turn();
    await step.get(onA);
    await step.get(onB);
    await step.set(onB, 'type');
    await state.saveChanges(onB);
    await step.set(onA, 'help');
    await expect(state.saveChanges(onA)).rejects.toBeInstanceOf(StateConflictError);

    expect((await stored(storage)).step).toBe('type');
  });

  it("saves turn after turn of one conversation, and a conversation's first turn", async () => {
    const { storage, savedTurn } = conversationState<number>();
    for (let n = 1; n <= 3; n += 1) await savedTurn(n);
    expect((await stored(storage)).step).toBe(3);
  });

  it('does not write a turn that changed nothing (no conflict with a turn that did)', async () => {
    const { storage, state, step, savedTurn } = conversationState<string>();
    await savedTurn('type');
    const reader = turn();
    const writer = turn();
    await step.get(reader);
    await step.get(writer);
    await step.set(writer, 'number');
    await state.saveChanges(writer);
    await expect(state.saveChanges(reader)).resolves.toBeUndefined();
    expect((await stored(storage)).step).toBe('number');
  });

  it('writes only what a turn changed: a nested change, a cleared state, a forced save; once per change', async () => {
    const storage = new MemoryStateStorage();
    const writes = jest.spyOn(storage, 'write');
    const creates = jest.spyOn(storage, 'createItem');
    const saves = (): number => writes.mock.calls.length + creates.mock.calls.length;
    const state = new ConversationState(new ETagGuardedStorage(storage));
    const dialog = state.createProperty<{ stack: Array<{ step: string }> }>('dialog');

    const first = turn();
    await dialog.set(first, { stack: [{ step: 'type' }] });
    await state.saveChanges(first);
    await state.saveChanges(first);
    expect(saves()).toBe(1);
    // The conversation had no state yet: its first save is a create.
    expect(creates).toHaveBeenCalledTimes(1);

    const unchanged = turn();
    await dialog.get(unchanged);
    await state.saveChanges(unchanged);
    expect(saves()).toBe(1);

    const nested = turn();
    (await dialog.get(nested))!.stack[0]!.step = 'number';
    await state.saveChanges(nested);
    expect(saves()).toBe(2);
    expect((await stored(storage)).dialog).toEqual({ stack: [{ step: 'number' }] });
    // A changed turn is written over the version it read, never with botbuilder's `*`.
    const [[written]] = writes.mock.calls as Array<[Record<string, { eTag?: string }>]>;
    expect(Object.values(written!)[0]!.eTag).toMatch(/^(?!\*$)./u);

    const forced = turn();
    await dialog.get(forced);
    await state.saveChanges(forced, true);
    expect(saves()).toBe(3);

    const cleared = turn();
    await dialog.get(cleared);
    await state.clear(cleared);
    await state.saveChanges(cleared);
    expect(saves()).toBe(4);
    expect(Object.keys(await stored(storage))).toEqual(['eTag']);
  });

  it('reads the state once per turn unless forced', async () => {
    const storage = new MemoryStateStorage();
    const reads = jest.spyOn(storage, 'read');
    const state = new ConversationState(new ETagGuardedStorage(storage));
    const context = turn();
    await state.load(context);
    await state.load(context);
    expect(reads).toHaveBeenCalledTimes(1);
    await state.load(context, true);
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it('stores no trace of the eTag it guards with', async () => {
    const { storage, savedTurn } = conversationState<string>();
    await savedTurn('a');
    await savedTurn('b');
    expect(Object.keys(await stored(storage)).sort()).toEqual(['eTag', 'step']);
  });
});

describe('conversation state over eTag-guarded Blob storage (Azurite), as in production', () => {
  interface Instance {
    readonly storage: BlobStateStorage;
    readonly state: ConversationState;
    readonly step: StatePropertyAccessor<string>;
  }

  /** Two instances of the service: each its own storage client and conversation state, one container. */
  function twoInstances(): [Instance, Instance] {
    const container = uniqueContainer();
    const instance = (): Instance => {
      const storage = new BlobStateStorage({ connectionString: azuriteConnectionString(), container, logger: pino({ level: 'silent' }) });
      const state = new ConversationState(new ETagGuardedStorage(storage));
      return { storage, state, step: state.createProperty<string>('step') };
    };
    return [instance(), instance()];
  }

  it("creates a conversation's state once and then refuses a save over a version another instance replaced", async () => {
    const [a, b] = twoInstances();
    // Both read a conversation with no state: the first save creates it, the second is refused.
    const firstA = turn();
    const firstB = turn();
    await a.step.get(firstA);
    await b.step.get(firstB);
    await a.step.set(firstA, 'type');
    await a.state.saveChanges(firstA);
    await b.step.set(firstB, 'help');
    await expect(b.state.saveChanges(firstB)).rejects.toBeInstanceOf(StateConflictError);
    expect((await stored(a.storage)).step).toBe('type');

    // Both read that state; B saves first, so A's save over the version it read is refused.
    const onA = turn();
    const onB = turn();
    await a.step.get(onA);
    await b.step.get(onB);
    await b.step.set(onB, 'registered');
    await b.state.saveChanges(onB);
    await a.step.set(onA, 'cancelled');
    await expect(a.state.saveChanges(onA)).rejects.toBeInstanceOf(StateConflictError);
    expect((await stored(a.storage)).step).toBe('registered');
  });
});
