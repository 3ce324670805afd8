import { escapeLoneBrackets, validateLocalizationText, validateManifestText } from '../../../tools/teams-app/manifest-schemas';

// The validator requires strip-bom 5, an ES module Jest cannot load; validation never calls it.
jest.mock('strip-bom', () => ({ __esModule: true, default: (text: string) => text.replace(/^\uFEFF/, '') }));

const MINIMAL = {
  $schema: 'https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json',
  manifestVersion: '1.17',
  version: '1.0.0',
  id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
  developer: { name: 'Contoso', websiteUrl: 'https://c.example', privacyUrl: 'https://c.example/p', termsOfUseUrl: 'https://c.example/t' },
  name: { short: 'Phone MFA Setup', full: 'Phone MFA Setup' },
  description: { short: 'Short', full: 'Full' },
  icons: { color: 'color.png', outline: 'outline.png' },
  accentColor: '#2A5CAA',
};

describe('escapeLoneBrackets', () => {
  it.each([
    ['^a\\[\\b([0-9]|1[01])\\b]\\.x$', '^a\\[\\b([0-9]|1[01])\\b\\]\\.x$'],
    ['^[a-z]+$', '^[a-z]+$'],
    ['[\\]]]', '[\\]]\\]'],
    ['^name\\.short$', '^name\\.short$'],
  ])('%s → %s', (pattern, expected) => {
    expect(escapeLoneBrackets(pattern)).toBe(expected);
    expect(() => new RegExp(expected, 'u')).not.toThrow();
  });
});

describe('validateManifestText', () => {
  it('accepts a minimal v1.17 manifest', async () => {
    expect(await validateManifestText(JSON.stringify(MINIMAL))).toEqual([]);
  });

  it('reports every schema error with its path', async () => {
    const problems = await validateManifestText(JSON.stringify({ ...MINIMAL, id: 'x', accentColor: 'blue' }));
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/^manifest.json does not match the v1.17 schema: \/id must match pattern/m);
    expect(problems.join('\n')).toMatch(/\/accentColor must match pattern/);
  });

  it.each([
    ['1.18', /manifest version 1.18 has no schema bundled with the offline validator: use 1.17 or 1.19 and later/],
    ['../../x', /has no schema bundled/],
  ])('refuses a manifest version without a bundled schema (%s)', async (version, expected) => {
    expect(await validateManifestText(JSON.stringify({ ...MINIMAL, manifestVersion: version }))).toEqual([expect.stringMatching(expected)]);
  });

  it('reports broken JSON', async () => {
    expect(await validateManifestText('{"id": ')).toEqual([expect.stringMatching(/^manifest.json is not valid JSON/)]);
  });
});

describe('validateLocalizationText', () => {
  const base = { 'name.short': 'a', 'name.full': 'b', 'description.short': 'c', 'description.full': 'd' };

  it('accepts translated names and bot command titles', async () => {
    const text = JSON.stringify({ ...base, 'bots[0].commandLists[0].commands[0].title': '電話を追加' });
    expect(await validateLocalizationText('ja-jp.json', text, '1.17')).toEqual([]);
  });

  it('rejects unknown keys, missing names and over-long titles', async () => {
    const text = JSON.stringify({
      'name.short': 'a',
      'name.full': 'b',
      'description.short': 'c',
      'bots[0].commandLists[0].commands[0].title': 'x'.repeat(33),
      'bots[0].nope': 'y',
    });
    const problems = (await validateLocalizationText('ja-jp.json', text, '1.17')).join('\n');
    expect(problems).toMatch(/must have required property 'description.full'/);
    expect(problems).toMatch(/must NOT have more than 32 characters/);
    expect(problems).toMatch(/must NOT have additional properties/);
  });
});
