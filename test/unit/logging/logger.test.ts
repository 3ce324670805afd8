import { Writable } from 'node:stream';
import { DialogContextError, DialogSet, WaterfallDialog, type DialogState } from 'botbuilder-dialogs';
import { ConversationState, MemoryStorage, TestAdapter, TurnContext } from 'botbuilder';
import { createLogger } from '../../../src/logging/logger';

/** A real DialogContextError, thrown from a dialog whose state holds a number the user typed. */
async function dialogContextError(): Promise<DialogContextError> {
  const adapter = new TestAdapter();
  const state = new ConversationState(new MemoryStorage());
  const dialogs = new DialogSet(state.createProperty<DialogState>('dialogState'));
  dialogs.add(
    new WaterfallDialog('typed', [
      async (step) => {
        Object.assign(step.values, { number: '090-1234-5678' });
        throw new Error('The connector answered 404.');
      },
    ]),
  );
  const context = new TurnContext(adapter, {
    type: 'message',
    text: 'hi',
    channelId: 'test',
    conversation: { id: 'c', isGroup: false, conversationType: 'personal', name: '' },
    from: { id: 'u', name: 'u' },
    recipient: { id: 'b', name: 'b' },
  });
  const dc = await dialogs.createContext(context);
  try {
    await dc.beginDialog('typed');
  } catch (error) {
    if (error instanceof DialogContextError) return error;
    throw error;
  }
  throw new Error('the dialog did not fail');
}

describe('the logger', () => {
  it("keeps a failed dialog's ids but never its state, at the top or wrapped in another error", async () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'debug',
      pretty: false,
      destination: new Writable({
        write: (chunk, _enc, done) => {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    const error = await dialogContextError();
    expect(JSON.stringify(error.dialogContext)).toContain('090-1234-5678');
    logger.error({ err: error }, 'turn failed');
    const wrapper = Object.assign(new Error('outer'), { error });
    logger.error({ err: wrapper }, 'turn failed');
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toContain('1234-5678');
      expect(line).toContain('"activeDialog":"typed"');
    }
  });
});
