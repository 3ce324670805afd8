/** Stands for the nonce while a card is expanded for the cache; no text of a card contains it. */
const NONCE_MARK = '\u0000nonce\u0000';

/** Expanded cards kept; the data of most cards is the same for everyone who speaks one language. */
const DEFAULT_CAPACITY = 256;

/** Lists at least this long are keyed by identity (the country list): writing them out each time cost more than it saved. */
const LONG_LIST = 32;

/** Where the nonce goes in a kept card: a tree of the keys that lead to it. */
type NonceSlots = Map<string | number, NonceSlots | null>;

interface Entry {
  readonly card: Record<string, unknown>;
  readonly slots: NonceSlots;
}

/**
 * Keeps expanded cards by template and data, apart from the nonce, which differs on every card.
 *
 * Expanding a template evaluates every expression in it again (the largest share of a turn's own
 * CPU), although most cards come out the same for everyone who speaks one language. A kept card is
 * handed out with its nonce put in: only the objects on the way to each nonce are copied, the rest
 * is shared between the cards handed out, so a card must never be changed after it is rendered. (It
 * is not frozen: lists bound whole, such as the countries, are the caller's own objects.)
 * A card whose nonce is not a whole value (e.g. part of a longer text) is expanded every time.
 */
export class ExpandedCardCache {
  private readonly entries = new Map<string, Entry | 'uncacheable'>();
  /** Ids of long lists seen; a list is never changed once it is given to a card, and an id is never reused. */
  private readonly listIds = new WeakMap<object, number>();
  private nextListId = 0;

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /** The card for `data`: kept, or made by `expand` (with a stand-in nonce) and kept. */
  get(template: string, data: object, expand: (data: object) => Record<string, unknown>): Record<string, unknown> {
    const { nonce, ...rest } = data as { nonce?: unknown };
    if (typeof nonce !== 'string') return expand(data);
    const key = `${template}\u0000${JSON.stringify(rest, (_name, value: unknown) => this.keyOf(value))}`;
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = this.make(data, expand);
      if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    } else {
      // Most recently used last, so the oldest goes first when the cache is full.
      this.entries.delete(key);
    }
    this.entries.set(key, entry);
    return entry === 'uncacheable' ? expand(data) : withNonce(entry.card, entry.slots, nonce) as Record<string, unknown>;
  }

  private keyOf(value: unknown): unknown {
    if (!Array.isArray(value) || value.length < LONG_LIST) return value;
    let id = this.listIds.get(value);
    if (id === undefined) {
      id = ++this.nextListId;
      this.listIds.set(value, id);
    }
    return `\u0000list ${id}`;
  }

  private make(data: object, expand: (data: object) => Record<string, unknown>): Entry | 'uncacheable' {
    const card = expand({ ...data, nonce: NONCE_MARK });
    const slots: NonceSlots = new Map();
    return keepable(card, slots) ? { card, slots } : 'uncacheable';
  }
}

/**
 * Records the path to every value that is exactly the mark. False when the mark is part of a longer text: such a card cannot be handed out with a new nonce.
 */
function keepable(value: object, slots: NonceSlots): boolean {
  const isArray = Array.isArray(value);
  for (const [key, child] of Object.entries(value)) {
    const slotKey = isArray ? Number(key) : key;
    if (child === NONCE_MARK) {
      slots.set(slotKey, null);
    } else if (typeof child === 'string') {
      if (child.includes(NONCE_MARK)) return false;
    } else if (child !== null && typeof child === 'object') {
      const below: NonceSlots = new Map();
      if (!keepable(child, below)) return false;
      if (below.size > 0) slots.set(slotKey, below);
    }
  }
  return true;
}

/** A copy of `value` with the nonce in its slots: only the objects on the way to a slot are new. */
function withNonce(value: unknown, slots: NonceSlots, nonce: string): unknown {
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  for (const [key, below] of slots) {
    copy[key] = below === null ? nonce : withNonce((value as Record<string | number, unknown>)[key], below, nonce);
  }
  return copy;
}
