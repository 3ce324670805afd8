import { maskE164, maskPhone } from '../../../src/phone/mask-phone';

describe('maskPhone', () => {
  it.each([
    ['+81 9012345678', '+81 XXXXXX5678'],
    ['+81 928022111x1234', '+81 XXXXX2111'],
    ['+1 2065555555', '+1 XXXXXX5555'],
    ['+1 5555551234x123', '+1 XXXXXX1234'],
    ['+44 7400123456', '+44 XXXXXX3456'],
    ['+39 0612345678', '+39 XXXXXX5678'],
    // Not Graph's form but still a number
    ['+819012345678', '+81 XXXXXX5678'],
    ['+44 20 7946 0958', '+44 XXXXXX0958'],
    ['  +81 9012345678  ', '+81 XXXXXX5678'],
    ['+81 ９０１２３４５６７８', '+81 XXXXXX5678'],
    ['+81 9012345678 ext. 99', '+81 XXXXXX5678'],
    ['+81 9012345678#99', '+81 XXXXXX5678'],
    ['090-1234-5678', 'XXXXXXX5678'],
    ['819012345678', 'XXXXXXXX5678'],
    ['call 0312345678 now', 'XXXXXX5678'],
    ['+999 12345678', '+999 XXXX5678'],
    ['+99912345678', 'XXXXXXX5678'],
    // Too short to show four digits without showing most of the number
    ['12345678', 'XXXX5678'],
    ['123456', 'XXXX56'],
    ['1234', 'XXXX'],
    ['7', 'X'],
    ['+1 234', '+1 XXX'],
    // Garbage
    ['', 'XXXX'],
    ['hello', 'XXXX'],
    ['x1234', 'XXXX'],
    ['+', 'XXXX'],
  ])('%j → %j', (input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });

  it.each([
    '+81 9012345678',
    '+81 928022111x1234',
    '+819012345678',
    '090-1234-5678',
    '+1 2065555555x98765',
    'garbage 12 then 345678 and more 90',
    '+44 (0)20 7946 0958',
    '１２３４５６７８９０',
  ])('%j never shows more than the last four digits of the number', (input) => {
    const masked = maskPhone(input);
    const shown = masked.replace(/^\+\d{1,3} /u, '').replace(/\D/gu, '');
    expect(shown.length).toBeLessThanOrEqual(4);
    const numberDigits = input
      .normalize('NFKC')
      .split(/ext|[x#]/iu)[0]!
      .replace(/\D/gu, '');
    expect(numberDigits.endsWith(shown)).toBe(true);
  });

  it('masks E.164 numbers the same way', () => {
    expect(maskE164('+819012345678')).toBe('+81 XXXXXX5678');
    expect(maskE164('+12065555555')).toBe('+1 XXXXXX5555');
  });
});
