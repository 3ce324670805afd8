import { randomUUID } from 'node:crypto';
import type { StateStorage } from '../storage/state-storage';
import type { Clock } from '../time/clock';
import { systemClock } from '../time/clock';
import type { DemoMessage, DemoMessageBook, DemoMessageListener, NewDemoMessage } from './demo-outbox';
import { KeyedLock } from './keyed-lock';
import { readItem, updateItem } from './storage-update';

/** Messages are kept by the last digit of the (masked) number (one item more for anything else), so simultaneous sends rarely write the same item. */
const SHARDS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'other'] as const;

/** The item that keeps the messages to a number ending in `to`'s last character. */
function shardKey(to: string): string {
  const last = to.at(-1) ?? '';
  return `demo-outbox/${/^\d$/u.test(last) ? last : 'other'}`;
}

/** The messages as stored, oldest first. */
interface StoredDemoMessages {
  readonly messages: readonly DemoMessage[];
}

export interface SharedDemoOutboxOptions {
  readonly storage: StateStorage;
  /** How many messages to keep per last digit of the number, across all instances; older ones are dropped. Default 50. */
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
 * what every instance "sent". The messages to numbers ending in one digit are kept in one item (the
 * newest `capacity`, none older than `retentionMs`), changed by an eTag-guarded read-modify-write;
 * one item per digit rather than one in all, so many users sending at once rarely retry. Like the in-memory outbox,
 * the texts hold demo codes on purpose and are never logged.
 */
export class SharedDemoOutbox implements DemoMessageBook {
  private readonly capacity: number;
  private readonly retentionMs: number;
  private readonly clock: Clock;
  private readonly newId: () => string;
  /** One add per item at a time in this process: only other instances can then meet an item changed under them. */
  private readonly lock = new KeyedLock();

  constructor(private readonly options: SharedDemoOutboxOptions) {
    this.capacity = options.capacity ?? 50;
    this.retentionMs = options.retentionMs ?? 60 * 60 * 1000;
    if (!Number.isInteger(this.capacity) || this.capacity <= 0) throw new RangeError('capacity must be a positive integer');
    if (!(this.retentionMs > 0)) throw new RangeError('retentionMs must be positive');
    this.clock = options.clock ?? systemClock;
    this.newId = options.newId ?? randomUUID;
  }

  /** Records a message (ids unique across instances) and tells this instance's listener; listener errors propagate. */
  async add(entry: NewDemoMessage): Promise<DemoMessage> {
    const message: DemoMessage = { id: `demo-${this.newId()}`, at: entry.at ?? this.clock.now(), kind: entry.kind, to: entry.to, text: entry.text };
    const key = shardKey(message.to);
    await this.lock.run(key, () =>
      updateItem<StoredDemoMessages>(this.options.storage, key, (stored) => ({
        messages: this.kept([...(stored?.messages ?? []), message]),
      })),
    );
    this.options.onMessage?.(message);
    return message;
  }

  /** The kept messages of every instance, oldest first; with `toEndingIn`, only those to a number ending in those digits. */
  async list(toEndingIn?: string): Promise<readonly DemoMessage[]> {
    // Digits name the one item to read; without them every item is read and merged by time.
    const keys = toEndingIn ? [shardKey(toEndingIn)] : SHARDS.map((shard) => `demo-outbox/${shard}`);
    const reads = await Promise.all(keys.map((key) => readItem<StoredDemoMessages>(this.options.storage, key)));
    const messages = reads.flatMap((read) => this.kept(read.value?.messages ?? [])).sort((x, y) => x.at - y.at);
    return toEndingIn ? messages.filter((m) => m.to.endsWith(toEndingIn)) : messages;
  }

  /** The newest `capacity` messages that are younger than the retention. */
  private kept(messages: readonly DemoMessage[]): DemoMessage[] {
    const oldest = this.clock.now() - this.retentionMs;
    return messages.filter((m) => m.at >= oldest).slice(-this.capacity);
  }
}
