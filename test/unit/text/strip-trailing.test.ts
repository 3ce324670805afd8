import { stripTrailing } from '../../../src/text/strip-trailing';

describe('stripTrailing', () => {
  it.each([
    ['https://contoso.example/', '/', 'https://contoso.example'],
    ['https://contoso.example///', '/', 'https://contoso.example'],
    ['https://contoso.example', '/', 'https://contoso.example'],
    ['/', '/', ''],
    ['', '/', ''],
    ['a//b', '/', 'a//b'],
    ['help!.!。！', '.!。！', 'help'],
    ['help! ', '.!。！', 'help! '],
    ['...', '.!。！', ''],
  ])('%j without trailing %j → %j', (value, characters, expected) => {
    expect(stripTrailing(value, characters)).toBe(expected);
  });
});
