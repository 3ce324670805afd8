import type { Clock } from '../time/clock';
import { systemClock } from '../time/clock';

/** One message the demo "phone" received. `to` is always masked; `text` holds the demo code on purpose. */
export interface DemoMessage {
  readonly id: string;
  /** Epoch ms. */
  readonly at: number;
  readonly kind: 'sms' | 'call';
  readonly to: string;
  readonly text: string;
}

export type DemoMessageListener = (message: DemoMessage) => void;

/** What demo delivery records: the kind, the masked number, the text, and optionally when. */
export type NewDemoMessage = Pick<DemoMessage, 'kind' | 'to' | 'text'> & { readonly at?: number };

/**
 * Where demo delivery records what it "sent" and `/demo/messages` reads it: this process's memory
 * (`DemoOutbox`), or storage every demo instance shares (`SharedDemoOutbox`). Callers await both.
 */
export interface DemoMessageBook {
  add(entry: NewDemoMessage): DemoMessage | Promise<DemoMessage>;
  list(toEndingIn?: string): readonly DemoMessage[] | Promise<readonly DemoMessage[]>;
}

export interface DemoOutboxOptions {
  /** How many messages to keep; older ones are dropped. Default 200. */
  readonly capacity?: number;
  readonly clock?: Clock;
  /** Called for each new message, e.g. to print it on the console of the person running the demo. */
  readonly onMessage?: DemoMessageListener;
}

/**
 * Bounded in-memory record of what demo delivery "sent". In demo mode the console is the phone, so
 * these messages are meant for the person running the demo, never for the structured log.
 */
export class DemoOutbox implements DemoMessageBook {
  private readonly capacity: number;
  private readonly clock: Clock;
  private readonly listeners: DemoMessageListener[] = [];
  private readonly messages: DemoMessage[] = [];
  private sequence = 0;

  constructor(options: DemoOutboxOptions = {}) {
    this.capacity = options.capacity ?? 200;
    if (!Number.isInteger(this.capacity) || this.capacity <= 0) throw new RangeError('capacity must be a positive integer');
    this.clock = options.clock ?? systemClock;
    if (options.onMessage) this.listeners.push(options.onMessage);
  }

  /** Records a message (id assigned here; time from `at` or the clock) and tells the listeners; listener errors propagate. */
  add(entry: NewDemoMessage): DemoMessage {
    this.sequence += 1;
    const at = entry.at ?? this.clock.now();
    const message: DemoMessage = { id: `demo-${this.sequence}`, at, kind: entry.kind, to: entry.to, text: entry.text };
    this.messages.push(message);
    if (this.messages.length > this.capacity) this.messages.splice(0, this.messages.length - this.capacity);
    for (const listener of this.listeners) listener(message);
    return message;
  }

  /** The kept messages, oldest first (a copy); with `toEndingIn`, only those to a number ending in those digits. */
  list(toEndingIn?: string): readonly DemoMessage[] {
    return toEndingIn ? this.messages.filter((m) => m.to.endsWith(toEndingIn)) : [...this.messages];
  }

  /** Adds a listener; returns a function that removes it. */
  subscribe(listener: DemoMessageListener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }
}
