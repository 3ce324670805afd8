import { randomUUID } from 'node:crypto';
import type { StateStorage } from '../storage/state-storage';
import type { Clock } from '../time/clock';
import { systemClock } from '../time/clock';
import type { DemoMessage, DemoMessageBook, DemoMessageListener, NewDemoMessage } from './demo-outbox';
import { readItem, updateItem } from './storage-update';

/** The one item every demo instance records its messages in. */
const OUTBOX_KEY = 'demo-outbox/messages';

/** The messages as stored, oldest first. */
interface StoredDemoMessages {
  readonly messages: readonly DemoMessage[];
}

export interface SharedDemoOutboxOptions {
  readonly storage: StateStorage;
  /** How many messages to keep across all instances; older ones are dropped. Default 200. */
  readonly capacity?: number;
  /** How long a message is kept, in ms. Default one hour. */
  readonly retentionMs?: number;
  readonly clock?: Clock;
  readonly newId?: () => string;
  /** Called for each message this instance records (its own console is the demo phone). */
  readonly onMessage?: DemoMessageListener;
}

/**
 * The demo outbox in storage every demo instance shares, so `/demo/messages` on any instance lists
 * what every instance "sent". One item holds the newest messages (at most `capacity`, none older
 * than `retentionMs`), changed by an eTag-guarded read-modify-write. Like the in-memory outbox, the
 * texts hold demo codes on purpose and are never logged.
 */
export class SharedDemoOutbox implements DemoMessageBook {
  private readonly capacity: number;
  private readonly retentionMs: number;
  private readonly clock: Clock;
  private readonly newId: () => string;

  constructor(private readonly options: SharedDemoOutboxOptions) {
    this.capacity = options.capacity ?? 200;
    this.retentionMs = options.retentionMs ?? 60 * 60 * 1000;
    if (!Number.isInteger(this.capacity) || this.capacity <= 0) throw new RangeError('capacity must be a positive integer');
    if (!(this.retentionMs > 0)) throw new RangeError('retentionMs must be positive');
    this.clock = options.clock ?? systemClock;
    this.newId = options.newId ?? randomUUID;
  }

  /** Records a message (ids unique across instances) and tells this instance's listener; listener errors propagate. */
  async add(entry: NewDemoMessage): Promise<DemoMessage> {
    const message: DemoMessage = { id: `demo-${this.newId()}`, at: entry.at ?? this.clock.now(), kind: entry.kind, to: entry.to, text: entry.text };
    await updateItem<StoredDemoMessages>(this.options.storage, OUTBOX_KEY, (stored) => ({
      messages: this.kept([...(stored?.messages ?? []), message]),
    }));
    this.options.onMessage?.(message);
    return message;
  }

  /** The kept messages of every instance, oldest first; with `toEndingIn`, only those to a number ending in those digits. */
  async list(toEndingIn?: string): Promise<readonly DemoMessage[]> {
    const { value } = await readItem<StoredDemoMessages>(this.options.storage, OUTBOX_KEY);
    const messages = this.kept(value?.messages ?? []);
    return toEndingIn ? messages.filter((m) => m.to.endsWith(toEndingIn)) : messages;
  }

  /** The newest `capacity` messages that are younger than the retention. */
  private kept(messages: readonly DemoMessage[]): DemoMessage[] {
    const oldest = this.clock.now() - this.retentionMs;
    return messages.filter((m) => m.at >= oldest).slice(-this.capacity);
  }
}
