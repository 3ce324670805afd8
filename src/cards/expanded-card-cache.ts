/** Expanded cards kept; the data of most cards is the same for everyone who speaks one language. */
const DEFAULT_CAPACITY = 256;

/** Lists at least this long are keyed by identity (the country list): writing them out each time cost more than it saved. */
const LONG_LIST = 32;

/**
 * Stands for value `index` while a card is expanded for the cache: 0 is the nonce, the others the
 * card's personal values. No text of a card contains U+0000.
 */
function mark(index: number): string {
  return `\u0000${index}\u0000`;
}

/** Splits a text at its marks: literal parts at even positions, the index of a value at odd ones. */
const MARK_SPLIT = /\u0000(\d+)\u0000/u;

/** A text of a kept card with values to put in: literal parts and, between them, value indexes. */
interface Fill {
  readonly parts: ReadonlyArray<string | number>;
}

/** Where values go in a kept card: a tree of the keys that lead to each text with marks. */
type Slots = Map<string | number, Slots | Fill>;

interface Entry {
  readonly card: Record<string, unknown>;
  readonly slots: Slots;
}

type Expand = (data: object) => Record<string, unknown>;

/**
 * Keeps expanded cards by template and data, apart from the values that differ on every card: the
 * nonce, and the personal values the caller names (the user's masked numbers, ids of their phones).
 *
 * Expanding a template evaluates every expression in it again (the largest share of a turn's own
 * CPU), although most cards come out the same for everyone who speaks one language once the
 * personal values are taken out. The card is expanded once with marks in their place and handed out
 * with the values put back: only the objects on the way to a text with a mark are copied, the rest
 * is shared between the cards handed out, so a card must never be changed after it is rendered. (It
 * is not frozen: lists bound whole, such as the countries, are the caller's own objects.) Personal
 * values are never kept, only the marks. This holds because the templates only place texts (no text
 * functions; a test compares every sample card with its plain expansion); a card whose mark comes
 * out of its template changed is expanded every time.
 */
export class ExpandedCardCache {
  private readonly entries = new Map<string, Entry | 'uncacheable'>();
  /** Ids of long lists seen; a list is never changed once it is given to a card, and an id is never reused. */
  private readonly listIds = new WeakMap<object, number>();
  private nextListId = 0;

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /**
   * The card for `data`: kept, or made by `expand` and kept. `personal` are texts that appear in
   * `data` (whole or inside longer texts) and differ from user to user.
   */
  get(template: string, data: object, expand: Expand, personal: readonly string[] = []): Record<string, unknown> {
    const { nonce, ...rest } = data as { nonce?: unknown };
    if (nonce !== undefined && typeof nonce !== 'string') return expand(data);
    const values = valuesOf(nonce ?? '', personal);
    if (values === undefined) return expand(data);
    const abstract = (text: string): string => withMarks(text, values);
    // The key: the data as JSON, each personal value (looked for in its JSON form) replaced by its mark.
    const json = withMarks(JSON.stringify(this.withListIds(rest)), values.map((value) => JSON.stringify(value).slice(1, -1)));
    const key = `${template}\u0000${nonce === undefined ? '' : mark(0)}\u0000${json}`;
    let entry = this.entries.get(key);
    if (entry === undefined) {
      const markedData = marked(rest, abstract) as object;
      entry = make(nonce === undefined ? markedData : { ...markedData, nonce: mark(0) }, values.length, expand);
      if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    } else {
      // Most recently used last, so the oldest goes first when the cache is full.
      this.entries.delete(key);
    }
    this.entries.set(key, entry);
    return entry === 'uncacheable' ? expand(data) : withValues(entry.card, entry.slots, values) as Record<string, unknown>;
  }

  /** `data` with each long list (at the top, where cards take them) standing as its id. */
  private withListIds(data: Record<string, unknown>): Record<string, unknown> {
    let copy: Record<string, unknown> | undefined;
    for (const [name, value] of Object.entries(data)) {
      if (!Array.isArray(value) || value.length < LONG_LIST) continue;
      let id = this.listIds.get(value);
      if (id === undefined) {
        id = ++this.nextListId;
        this.listIds.set(value, id);
      }
      copy ??= { ...data };
      copy[name] = `\u0000list ${id}`;
    }
    return copy ?? data;
  }
}

/**
 * The nonce, then the personal values, longest first (so a value that is part of another is not
 * marked inside it); undefined when a value cannot be told apart from the marks (it contains U+0000,
 * or is only digits and could be found inside a mark already put in).
 */
function valuesOf(nonce: string, personal: readonly string[]): string[] | undefined {
  const distinct = [...new Set(personal)].filter((value) => value !== '').sort((a, b) => b.length - a.length);
  if (nonce.includes('\u0000') || distinct.some((value) => value.includes('\u0000') || /^\d+$/u.test(value))) return undefined;
  return [nonce, ...distinct];
}

/** `text` with every personal value in it replaced by its mark. */
function withMarks(text: string, values: readonly string[]): string {
  let result = text;
  for (let index = 1; index < values.length; index++) {
    const value = values[index]!;
    if (result.includes(value)) result = result.split(value).join(mark(index));
  }
  return result;
}

/** A copy of `value` with `abstract` applied to every text; unchanged parts are shared. */
function marked(value: unknown, abstract: (text: string) => string): unknown {
  if (typeof value === 'string') return abstract(value);
  if (value === null || typeof value !== 'object') return value;
  let copy: Record<string | number, unknown> | undefined;
  for (const [key, child] of Object.entries(value)) {
    const next: unknown = marked(child, abstract);
    if (next !== child) {
      copy ??= (Array.isArray(value) ? [...value] : { ...value }) as Record<string | number, unknown>;
      copy[key] = next;
    }
  }
  return copy ?? value;
}

function make(markedData: object, valueCount: number, expand: Expand): Entry | 'uncacheable' {
  const card = expand(markedData);
  const slots: Slots = new Map();
  return keepable(card, valueCount, slots) ? { card, slots } : 'uncacheable';
}

/** Records the path to every text with marks. False when a mark came out of the template changed. */
function keepable(value: object, valueCount: number, slots: Slots): boolean {
  const isArray = Array.isArray(value);
  for (const [key, child] of Object.entries(value)) {
    const slotKey = isArray ? Number(key) : key;
    if (key.includes('\u0000')) return false;
    if (typeof child === 'string') {
      if (!child.includes('\u0000')) continue;
      const parts = child.split(MARK_SPLIT).map((part, index) => (index % 2 === 1 ? Number(part) : part));
      const whole = parts.every((part, index) => (index % 2 === 1 ? (part as number) < valueCount : !(part as string).includes('\u0000')));
      if (!whole) return false;
      slots.set(slotKey, { parts });
    } else if (child !== null && typeof child === 'object') {
      const below: Slots = new Map();
      if (!keepable(child, valueCount, below)) return false;
      if (below.size > 0) slots.set(slotKey, below);
    }
  }
  return true;
}

/** A copy of `value` with the values in its slots: only the objects on the way to a slot are new. */
function withValues(value: unknown, slots: Slots, values: readonly string[]): unknown {
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  for (const [key, slot] of slots) {
    copy[key] = slot instanceof Map
      ? withValues((value as Record<string | number, unknown>)[key], slot, values)
      : slot.parts.map((part, index) => (index % 2 === 1 ? values[part as number] : part)).join('');
  }
  return copy;
}
