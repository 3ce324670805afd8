import { maskDialledNumber } from '../../../src/verification/mask-dialled-number';

describe('maskDialledNumber', () => {
  it.each([
    ['+819012345678', '+81 XXXXXX5678'],
    ['+12065551234', '+1 XXXXXX1234'],
    ['+441632960961', '+44 XXXXXX0961'],
    ['not a number 12345678', 'XXXX5678'],
    ['123', 'XX3'],
  ])('%p → %p', (input, expected) => {
    expect(maskDialledNumber(input)).toBe(expected);
  });
});
