import { spacedCode } from '../../../src/verification/format-code';

describe('spacedCode', () => {
  it.each([
    ['123456', '123 456'],
    ['012345', '012 345'],
    ['12345678', '123 456 78'],
    ['1234', '1234'],
    ['', ''],
  ])('%p → %p', (code, expected) => {
    expect(spacedCode(code)).toBe(expected);
  });
});
