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

/** The data the conversation gives each template: every sample card, in every language. */
function sampleData(): Array<[CardName, Record<string, unknown>]> {
  const captured: Array<[CardName, Record<string, unknown>]> = [];
  const real = new CardRenderer(CARDS_DIR);
  const recording = {
    render: (name: CardName, data: Record<string, unknown>) => {
      captured.push([name, data]);
      return real.render(name, data as never);
    },
  } as unknown as CardRenderer;
  const views = new CardViews({ renderer: recording, demoMode: true, portalUrl: 'https://mysignins.microsoft.com/security-info', helpdeskContact: 'helpdesk@example.edu' });
  for (const locale of LOCALES) cardSamples(views, locale);
  return captured;
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

  it.each(samples.map(([name, data], index) => [`${name} #${index}`, name, data] as const))(
    'hands out %s exactly as the plain expansion, with each card\'s own nonce, expanding once',
    (_label, name, data) => {
      const cache = new ExpandedCardCache();
      const expand = counting((input) => plainExpand(name, input));
      const first = cache.get(name, { ...data, nonce: 'nonce-first' }, expand.expand);
      const second = cache.get(name, { ...data, nonce: 'nonce-second' }, expand.expand);
      expect(second).toEqual(plainExpand(name, { ...data, nonce: 'nonce-second' }));
      // The first card is untouched by handing out the second, which shares most of it.
      expect(first).toEqual(plainExpand(name, { ...data, nonce: 'nonce-first' }));
      expect(JSON.stringify(second)).not.toContain('nonce-first');
      if (typeof data.nonce === 'string') expect(expand.calls()).toBe(1);
    },
  );

  it('expands again for other data', () => {
    const cache = new ExpandedCardCache();
    const expand = counting((data) => ({ text: (data as { text: string }).text, action: { nonce: (data as { nonce: string }).nonce } }));
    expect(cache.get('t', { text: 'a', nonce: '1' }, expand.expand)).toEqual({ text: 'a', action: { nonce: '1' } });
    expect(cache.get('t', { text: 'b', nonce: '2' }, expand.expand)).toEqual({ text: 'b', action: { nonce: '2' } });
    expect(cache.get('other', { text: 'a', nonce: '3' }, expand.expand)).toEqual({ text: 'a', action: { nonce: '3' } });
    expect(expand.calls()).toBe(3);
  });

  it('expands every time a card carries its nonce inside a longer text', () => {
    const cache = new ExpandedCardCache();
    const expand = counting((data) => ({ body: [{ id: `input-${(data as { nonce: string }).nonce}` }] }));
    expect(cache.get('t', { nonce: 'a' }, expand.expand)).toEqual({ body: [{ id: 'input-a' }] });
    expect(cache.get('t', { nonce: 'b' }, expand.expand)).toEqual({ body: [{ id: 'input-b' }] });
    // The stand-in expansion, then one expansion per card.
    expect(expand.calls()).toBe(3);
  });

  it('expands every time for data without a nonce', () => {
    const cache = new ExpandedCardCache();
    const expand = counting(() => ({ text: 'summary' }));
    cache.get('summary', { facts: [] }, expand.expand);
    cache.get('summary', { facts: [] }, expand.expand);
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
      t: { title: '', hint: '', error: '', countryLabel: '', countryRequired: '', numberLabel: '', numberPlaceholder: '', numberRequired: '', extensionLabel: '', extensionError: '', footer: '', next: '', back: '', cancel: '' },
      countries: [{ title: 'Japan (+81)', value: 'JP' }],
      region: 'JP',
      extension: '',
      showExtension: false,
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
