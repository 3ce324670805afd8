import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import type { CardName } from '../../src/cards/card-data';
import { CardRenderer } from '../../src/cards/card-renderer';
import { CardViews } from '../../src/cards/card-views';
import { ExpandedCardCache } from '../../src/cards/expanded-card-cache';
import { LOCALES } from '../../src/i18n/locale';
import { cardSamples } from '../../src/screenshots/card-samples';

const CARDS_DIR = join(__dirname, '..', '..', 'cards');

/** Expands a template the plain way, as every card was before cards were kept. */
function plainExpand(name: string, data: object): Record<string, unknown> {
  const template = new ACData.Template(JSON.parse(readFileSync(join(CARDS_DIR, `${name}.json`), 'utf8')));
  return template.expand({ $root: data }) as Record<string, unknown>;
}

type Sample = [CardName, Record<string, unknown>, readonly string[]];

/** The data (and personal values) the conversation gives each template: every sample card, in every language. */
function sampleData(): Sample[] {
  const captured: Sample[] = [];
  const real = new CardRenderer(CARDS_DIR);
  const recording = {
    render: (name: CardName, data: Record<string, unknown>, personal: readonly string[] = []) => {
      captured.push([name, data, personal]);
      return real.render(name, data as never, personal);
    },
  } as unknown as CardRenderer;
  const views = new CardViews({ renderer: recording, demoMode: true, portalUrl: 'https://mysignins.microsoft.com/security-info', helpdeskContact: 'helpdesk@example.edu' });
  for (const locale of LOCALES) cardSamples(views, locale);
  return captured;
}

/** Another user's value of the same shape: every digit moved on by one. */
function otherUsers(value: string): string {
  return value.replace(/\d/gu, (digit) => String((Number(digit) + 1) % 10));
}

/** `data` as another user would have it: every personal value (longest first) replaced in every text. */
function forOtherUser(data: unknown, personal: readonly string[]): unknown {
  if (typeof data === 'string') {
    return [...personal].sort((a, b) => b.length - a.length).reduce((text, value) => text.split(value).join(otherUsers(value)), data);
  }
  if (Array.isArray(data)) return data.map((item) => forOtherUser(item, personal));
  if (data !== null && typeof data === 'object') return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, forOtherUser(value, personal)]));
  return data;
}

function counting(expand: (data: object) => Record<string, unknown>): { expand: (data: object) => Record<string, unknown>; calls: () => number } {
  let calls = 0;
  return { expand: (data) => { calls += 1; return expand(data); }, calls: () => calls };
}

describe('ExpandedCardCache', () => {
  const samples = sampleData();

  it('has samples of every card with a nonce', () => {
    expect(new Set(samples.filter(([, data]) => typeof data.nonce === 'string').map(([name]) => name)).size).toBeGreaterThanOrEqual(13);
  });

  it('has samples of cards with personal values: masked numbers and the ids of phones', () => {
    const personal = samples.flatMap(([, , values]) => values);
    expect(personal).toContain('+81\u00a0XXXXXX5678');
    expect(personal).toContain('3179e48a-750b-4051-897c-87b9720928f7');
    expect(new Set(samples.filter(([, , values]) => values.length > 0).map(([name]) => name)).size).toBeGreaterThanOrEqual(9);
  });

  it.each(samples.map(([name, data, personal], index) => [`${name} #${index}`, name, data, personal] as const))(
    'hands out %s exactly as the plain expansion, with each card\'s own nonce and personal values, expanding once',
    (_label, name, data, personal) => {
      const cache = new ExpandedCardCache();
      const expand = counting((input) => plainExpand(name, input));
      const nonce = (value: string): object => (typeof data.nonce === 'string' ? { nonce: value } : {});
      const firstData = { ...data, ...nonce('nonce-first') };
      const secondData = { ...(forOtherUser(data, personal) as object), ...nonce('nonce-second') };
      const secondPersonal = personal.map(otherUsers);
      const first = cache.get(name, firstData, expand.expand, personal);
      const second = cache.get(name, secondData, expand.expand, secondPersonal);
      expect(second).toEqual(plainExpand(name, secondData));
      // The first card is untouched by handing out the second, which shares most of it.
      expect(first).toEqual(plainExpand(name, firstData));
      const secondText = JSON.stringify(second);
      expect(secondText).not.toContain('nonce-first');
      for (const value of personal) if (!secondPersonal.some((other) => other.includes(value))) expect(secondText).not.toContain(value);
      if (name !== 'calling' && !(name === 'phone-number' && data.number !== '')) expect(expand.calls()).toBe(1);
    },
  );

  it('keeps no personal value, only where it goes', () => {
    const cache = new ExpandedCardCache();
    const expand = counting((data) => ({ title: (data as { title: string }).title, nonce: (data as { nonce: string }).nonce }));
    cache.get('t', { title: 'Code sent to +81 XXXXXX5678', nonce: 'a' }, expand.expand, ['+81 XXXXXX5678']);
    expect(cache.get('t', { title: 'Code sent to +44 XXXXXX1234', nonce: 'b' }, expand.expand, ['+44 XXXXXX1234'])).toEqual({ title: 'Code sent to +44 XXXXXX1234', nonce: 'b' });
    expect(expand.calls()).toBe(1);
    const kept = JSON.stringify([...(cache as unknown as { entries: Map<string, unknown> }).entries]);
    expect(kept).not.toContain('5678');
    expect(kept).not.toContain('1234');
  });

  it('expands every time when the template changes a personal value', () => {
    const cache = new ExpandedCardCache();
    const expand = counting((data) => ({ title: (data as { title: string }).title.replace(/\d/gu, '#'), nonce: (data as { nonce: string }).nonce }));
    cache.get('t', { title: 'to +81 5678', nonce: 'a' }, expand.expand, ['+81 5678']);
    expect(cache.get('t', { title: 'to +44 1234', nonce: 'b' }, expand.expand, ['+44 1234'])).toEqual({ title: 'to +## ####', nonce: 'b' });
    // The stand-in expansion, then one expansion per card.
    expect(expand.calls()).toBe(3);
  });

  it('expands again for other data', () => {
    const cache = new ExpandedCardCache();
    const expand = counting((data) => ({ text: (data as { text: string }).text, action: { nonce: (data as { nonce: string }).nonce } }));
    expect(cache.get('t', { text: 'a', nonce: '1' }, expand.expand)).toEqual({ text: 'a', action: { nonce: '1' } });
    expect(cache.get('t', { text: 'b', nonce: '2' }, expand.expand)).toEqual({ text: 'b', action: { nonce: '2' } });
    expect(cache.get('other', { text: 'a', nonce: '3' }, expand.expand)).toEqual({ text: 'a', action: { nonce: '3' } });
    expect(expand.calls()).toBe(3);
  });

  it('expands every time when a personal value is only digits (it could be found inside a mark)', () => {
    const cache = new ExpandedCardCache();
    const expand = counting((data) => ({ a: (data as { a: string }).a, b: (data as { b: string }).b, nonce: (data as { nonce: string }).nonce }));
    expect(cache.get('t', { a: 'Ann', b: 'room 1', nonce: 'x' }, expand.expand, ['Ann', '1'])).toEqual({ a: 'Ann', b: 'room 1', nonce: 'x' });
    expect(cache.get('t', { a: 'Bo', b: 'room 2', nonce: 'y' }, expand.expand, ['Bo', '2'])).toEqual({ a: 'Bo', b: 'room 2', nonce: 'y' });
    expect(expand.calls()).toBe(2);
  });

  it('puts the nonce and personal values inside longer texts', () => {
    const cache = new ExpandedCardCache();
    const expand = counting((data) => ({ body: [{ id: `input-${(data as { nonce: string }).nonce}`, text: `${(data as { who: string }).who} and ${(data as { who: string }).who}` }] }));
    expect(cache.get('t', { who: 'Ann', nonce: 'a' }, expand.expand, ['Ann'])).toEqual({ body: [{ id: 'input-a', text: 'Ann and Ann' }] });
    expect(cache.get('t', { who: 'Bo', nonce: 'b' }, expand.expand, ['Bo'])).toEqual({ body: [{ id: 'input-b', text: 'Bo and Bo' }] });
    expect(expand.calls()).toBe(1);
  });

  it('keeps cards without a nonce too, apart from cards with one', () => {
    const cache = new ExpandedCardCache();
    const expand = counting((data) => ({ ...data }));
    expect(cache.get('summary', { facts: [] }, expand.expand)).toEqual({ facts: [] });
    expect(cache.get('summary', { facts: [] }, expand.expand)).toEqual({ facts: [] });
    expect(cache.get('summary', { facts: [], nonce: 'n' }, expand.expand)).toEqual({ facts: [], nonce: 'n' });
    expect(expand.calls()).toBe(2);
  });

  it('keeps the most recently used cards when full', () => {
    const cache = new ExpandedCardCache(2);
    const expand = counting((data) => ({ ...data }));
    for (const text of ['a', 'b', 'a', 'c', 'a', 'b']) cache.get('t', { text, nonce: 'n' }, expand.expand);
    // a, b and c expand once each; b was the least recently used when c came, so it expands again.
    expect(expand.calls()).toBe(4);
  });

  it('knows a long list by the list itself, so a new list with the same entries expands again and correctly', () => {
    const cache = new ExpandedCardCache();
    const expand = counting((data) => ({ choices: (data as { countries: unknown[] }).countries, nonce: (data as { nonce: string }).nonce }));
    const countries = Array.from({ length: 40 }, (_, i) => ({ title: `Country ${i}`, value: `C${i}` }));
    cache.get('number', { countries, nonce: '1' }, expand.expand);
    cache.get('number', { countries, nonce: '2' }, expand.expand);
    expect(expand.calls()).toBe(1);
    const changed = countries.map((c, i) => (i === 0 ? { ...c, title: 'Renamed' } : c));
    expect(cache.get('number', { countries: changed, nonce: '3' }, expand.expand)).toEqual({ choices: changed, nonce: '3' });
    expect(expand.calls()).toBe(2);
  });
});

describe('CardRenderer keeping cards', () => {
  const texts = { title: 'T', calling: 'C', codeLabel: 'L', footer: '', cancel: 'X' };

  function expansions(render: (renderer: CardRenderer) => void): number {
    const spy = jest.spyOn(ACData.Template.prototype, 'expand');
    try {
      render(new CardRenderer(CARDS_DIR));
      return spy.mock.calls.length;
    } finally {
      spy.mockRestore();
    }
  }

  it('never keeps the call card, which shows the code', () => {
    expect(expansions((r) => {
      r.render('calling', { t: texts, code: '123 456', nonce: 'a' });
      r.render('calling', { t: texts, code: '123 456', nonce: 'b' });
    })).toBe(2);
  });

  it('keeps a number card only while no number has been typed', () => {
    const data = {
      t: { title: '', hint: '', error: '', countryLabel: '', countryRequired: '', numberLabel: '', numberPlaceholder: '', numberRequired: '', extensionNote: '', footer: '', next: '', back: '', cancel: '' },
      countries: [{ title: 'Japan (+81)', value: 'JP' }],
      region: 'JP',
      showExtensionNote: false,
    };
    expect(expansions((r) => {
      r.render('phone-number', { ...data, number: '', nonce: 'a' });
      r.render('phone-number', { ...data, number: '', nonce: 'b' });
    })).toBe(1);
    expect(expansions((r) => {
      r.render('phone-number', { ...data, number: '090-1234-5678', nonce: 'a' });
      r.render('phone-number', { ...data, number: '090-1234-5678', nonce: 'b' });
    })).toBe(2);
  });
});
