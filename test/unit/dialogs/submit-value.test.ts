import { readSubmit } from '../../../src/dialogs/submit-value';

const CARD = { action: 'number.next', nonce: 'n-1' };

describe('readSubmit', () => {
  it.each([undefined, null, 'text', 42, [], { action: 'number.next' }, { action: '', nonce: 'n' }, { action: 'a', nonce: 'n'.repeat(65) }])(
    'finds no submit in %p',
    (value) => {
      expect(readSubmit(value)).toEqual({ kind: 'none' });
    },
  );

  it('reads a well-formed submit, keeping only the fields a card sends', () => {
    expect(readSubmit({ action: 'number.next', nonce: 'n-1', region: 'JP', number: '090', extra: 'dropped' })).toEqual({
      kind: 'submit',
      submit: { action: 'number.next', nonce: 'n-1', region: 'JP', number: '090' },
    });
  });

  it.each([
    ['a lower-case region', { region: 'jp' }],
    ['a three-letter region', { region: 'JPN' }],
    ['an empty region', { region: '' }],
    ['a region with a digit', { region: 'J1' }],
    ['a region with a trailing line break', { region: 'JP\n' }],
    ['U+0000 in a number', { number: '090-1234-5678\u0000' }],
    ['a line break in a number', { number: '090\n1234' }],
    ['a tab in an extension', { extension: '12\t3' }],
    ['DEL in a code', { code: '123\u007f456' }],
    ['a C1 control (NEL) in a method id', { methodId: 'id\u0085' }],
    ['an escape in the phone type', { phoneType: '\u001b[31mmobile' }],
    ['a number too long for any phone', { number: '9'.repeat(201) }],
    ['a number of the wrong type', { number: 9012345678 }],
    ['a lone surrogate half in a number', { number: '090\ud800' }],
  ])('refuses a card submit with %s (the user is told; the card stays usable)', (_label, inputs) => {
    expect(readSubmit({ ...CARD, ...inputs })).toEqual({ kind: 'refused' });
  });

  it.each([
    ['U+0000 in the nonce', { action: 'number.next', nonce: 'n\u0000' }],
    ['a lone surrogate half as the nonce', { action: 'type.next', nonce: '\ud800' }],
    ['a line break in the action', { action: 'number.next\n', nonce: 'n-1' }],
    ['no action', { nonce: 'n-1', number: '090' }],
  ])('treats a value with %s as no card submit at all', (_label, value) => {
    expect(readSubmit(value)).toEqual({ kind: 'none' });
  });

  it('reads a submit with every input as the cards send them, full-width digits and all', () => {
    const value = {
      ...CARD,
      phoneType: 'office',
      region: 'JP',
      number: '０９２-８０２-２１１１',
      extension: '１２',
      code: '123456',
      methodId: '3179e48a-750b-4051-897c-87b9720928f7',
    };
    expect(readSubmit(value)).toEqual({ kind: 'submit', submit: value });
  });
});

describe('readSubmit and well-formed text', () => {
  it('keeps characters outside the Basic Multilingual Plane (a surrogate pair is one character)', () => {
    expect(readSubmit({ ...CARD, number: '\u{1D7D8}\u{1D7E1}\u{1D7D8}' })).toEqual({
      kind: 'submit',
      submit: { ...CARD, number: '\u{1D7D8}\u{1D7E1}\u{1D7D8}' },
    });
  });
});

describe('readSubmit on one value', () => {
  it('reads a value object once: every later read of it in the turn is the same reading', () => {
    const value = { action: 'type.next', nonce: 'n-1', phoneType: 'mobile' };
    const first = readSubmit(value);
    expect(first).toEqual({ kind: 'submit', submit: value });
    expect(readSubmit(value)).toBe(first);
    // A new value object (an event the service raised with new content) is read afresh.
    expect(readSubmit({ ...value, phoneType: 'office' })).toEqual({ kind: 'submit', submit: { ...value, phoneType: 'office' } });
  });
});
