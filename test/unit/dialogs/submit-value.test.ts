import { readSubmitValue } from '../../../src/dialogs/submit-value';

describe('readSubmitValue', () => {
  it.each([undefined, null, 'text', 42, [], { action: 'number.next' }, { action: '', nonce: 'n' }, { action: 'a', nonce: 'n'.repeat(65) }, { action: 'a', nonce: 'n', number: 5 }])(
    'finds no submit in %p',
    (value) => {
      expect(readSubmitValue(value)).toBeUndefined();
    },
  );

  it('reads a well-formed submit, keeping only the fields a card sends', () => {
    expect(readSubmitValue({ action: 'number.next', nonce: 'n-1', region: 'JP', number: '090', extra: 'dropped' }))
      .toEqual({ action: 'number.next', nonce: 'n-1', region: 'JP', number: '090' });
  });
});
