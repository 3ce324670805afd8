import { collectTexts, validateCard } from '../../support/validate-card';

type Card = Record<string, unknown> & { body: Array<Record<string, unknown>>; actions: Array<Record<string, unknown>> };

/** A card that follows every rule; each test breaks one thing in a fresh copy. */
function goodCard(): Card {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    msteams: { width: 'Full' },
    body: [
      { type: 'TextBlock', text: 'Enter your number', wrap: true, weight: 'Bolder' },
      { type: 'RichTextBlock', inlines: ['Plain inline', { type: 'TextRun', text: 'Run inline' }] },
      { type: 'FactSet', facts: [{ title: 'Phone', value: '+81 XXXXXX5678' }] },
      {
        type: 'Input.ChoiceSet',
        id: 'region',
        label: 'Country or region',
        value: 'JP',
        choices: [
          { title: 'Japan (+81)', value: 'JP' },
          { title: 'United States (+1)', value: 'US' },
        ],
      },
      {
        type: 'Input.Text',
        id: 'number',
        label: 'Phone number',
        style: 'Tel',
        placeholder: '090-1234-5678',
        isRequired: true,
        regex: '^[0-9０-９ ()+-]{4,30}$',
        errorMessage: 'Enter a phone number',
      },
      { type: 'Input.Toggle', id: 'consent', label: 'Consent', title: 'I agree' },
    ],
    actions: [
      { type: 'Action.Submit', title: 'Next', data: { action: 'next', nonce: 'n1', label: 'not shown' } },
      { type: 'Action.Submit', title: 'Cancel', associatedInputs: 'none', data: { action: 'cancel' } },
      { type: 'Action.ShowCard', title: 'Help', card: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'Help text' }] } },
    ],
  };
}

describe('validateCard', () => {
  it('finds nothing wrong with a good 1.5 card', () => {
    expect(validateCard(goodCard())).toEqual([]);
  });

  it.each<[string, (card: Card) => void, RegExp]>([
    [
      'a version other than 1.5',
      (c) => {
        c.version = '1.4';
      },
      /version must be "1\.5".*"1\.4"/,
    ],
    [
      'a missing version',
      (c) => {
        delete c.version;
      },
      /version must be "1\.5".*null/,
    ],
    [
      'a missing msteams.width',
      (c) => {
        delete c.msteams;
      },
      /msteams\.width must be "Full"/,
    ],
    [
      'msteams.width other than Full',
      (c) => {
        c.msteams = { width: 'Auto' };
      },
      /msteams\.width must be "Full"/,
    ],
    [
      'an unexpanded template in text',
      (c) => {
        c.body[0].text = 'Hello ${name}';
      },
      /unexpanded template.*\$\.body\[0\]\.text/,
    ],
    [
      'an unexpanded template in data',
      (c) => {
        c.actions[0].data = { nonce: '${nonce}' };
      },
      /unexpanded template.*\$\.actions\[0\]\.data\.nonce/,
    ],
    [
      'an unexpanded template in a key',
      (c) => {
        c.body[0]['${when}'] = true;
      },
      /unexpanded template.*key/,
    ],
    [
      'an input without label',
      (c) => {
        delete c.body[4].label;
      },
      /Input\.Text "number" at \$\.body\[4\] has no label/,
    ],
    [
      'an input with a blank label',
      (c) => {
        c.body[5].label = '  ';
      },
      /Input\.Toggle "consent" .* has no label/,
    ],
    [
      'a required input without errorMessage',
      (c) => {
        delete c.body[4].errorMessage;
        delete c.body[4].regex;
      },
      /"number".*isRequired or regex but no errorMessage/,
    ],
    [
      'a regex input without errorMessage',
      (c) => {
        delete c.body[4].errorMessage;
        c.body[4].isRequired = false;
      },
      /"number".*isRequired or regex but no errorMessage/,
    ],
    [
      'an Input.Number',
      (c) => {
        c.body.push({ type: 'Input.Number', id: 'n', label: 'N' });
      },
      /Input\.Number is not allowed/,
    ],
    [
      'an Action.Submit without data',
      (c) => {
        delete c.actions[0].data;
      },
      /Action\.Submit at \$\.actions\[0\] must carry a data object/,
    ],
    [
      'an Action.Submit with string data',
      (c) => {
        c.actions[0].data = 'next';
      },
      /Action\.Submit at \$\.actions\[0\] must carry a data object/,
    ],
    [
      'an input without label in a ShowCard',
      (c) => {
        c.actions[2].card = { type: 'AdaptiveCard', body: [{ type: 'Input.Text', id: 'x' }] };
      },
      /Input\.Text "x" at \$\.actions\[2\]\.card\.body\[0\] has no label/,
    ],
  ])('reports %s', (_name, breakIt, expected) => {
    const card = goodCard();
    breakIt(card);
    const problems = validateCard(card);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  it.each<[string, (card: Card) => void, RegExp]>([
    [
      'an unknown element type',
      (c) => {
        c.body.push({ type: 'Carousel3000', text: 'x' });
      },
      /library \(parse\): UnknownElementType: .*Carousel3000/,
    ],
    [
      'an unknown action type',
      (c) => {
        c.actions.push({ type: 'Action.Teleport', title: 'x' });
      },
      /library \(parse\): UnknownActionType: .*Action\.Teleport/,
    ],
    [
      'an invalid property value',
      (c) => {
        c.body[0].size = 'enormous';
      },
      /library \(parse\): InvalidPropertyValue: .*enormous.*size/,
    ],
    [
      'an input without id',
      (c) => {
        delete c.body[5].id;
      },
      /library \(validate\): PropertyCantBeNull \[Input\.Toggle\]/,
    ],
    [
      'duplicate input ids',
      (c) => {
        c.body[5].id = 'number';
      },
      /library \(validate\): DuplicateId/,
    ],
    [
      'a choice set without choices',
      (c) => {
        c.body[3].choices = [];
      },
      /library \(validate\): CollectionCantBeEmpty \[Input\.ChoiceSet\]/,
    ],
    [
      'a wrong card type',
      (c) => {
        c.type = 'MessageCard';
      },
      /library \(validate\): MissingCardType/,
    ],
  ])('reports from the library: %s', (_name, breakIt, expected) => {
    const card = goodCard();
    breakIt(card);
    expect(validateCard(card)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  it('reports several problems at once', () => {
    const card = goodCard();
    card.version = '1.6';
    delete card.body[5].label;
    delete card.actions[1].data;
    expect(validateCard(card)).toEqual([
      'version must be "1.5" (Teams\' highest), found "1.6"',
      'Input.Toggle "consent" at $.body[5] has no label',
      'Action.Submit at $.actions[1] must carry a data object',
    ]);
  });

  it('loads the library without leaving globals behind', () => {
    const before = Object.getOwnPropertyNames(globalThis).sort();
    jest.isolateModules(() => {
      // A fresh module registry, so the library is really loaded inside this test.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- isolateModules needs a require made inside it
      const fresh: typeof import('../../support/validate-card') = require('../../support/validate-card');
      expect(fresh.validateCard(goodCard())).toEqual([]);
    });
    expect(Object.getOwnPropertyNames(globalThis).sort()).toEqual(before);
  });
});

describe('collectTexts', () => {
  it('returns every visible string in document order and nothing from submit data', () => {
    expect(collectTexts(goodCard())).toEqual([
      'Enter your number',
      'Plain inline',
      'Run inline',
      'Phone',
      '+81 XXXXXX5678',
      'Country or region',
      'Japan (+81)',
      'United States (+1)',
      'Phone number',
      '090-1234-5678',
      'Enter a phone number',
      'I agree',
      'Consent',
      'Next',
      'Cancel',
      'Help',
      'Help text',
    ]);
  });

  it('includes select-action titles', () => {
    const card = goodCard();
    card.body.push({ type: 'Container', items: [], selectAction: { type: 'Action.OpenUrl', title: 'Open portal', url: 'https://example.com' } });
    expect(collectTexts(card)).toContain('Open portal');
  });
});
