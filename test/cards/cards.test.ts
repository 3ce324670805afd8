import { join } from 'node:path';
import type { Attachment } from 'botbuilder';
import { CARD_NAMES, type CardName } from '../../src/cards/card-data';
import { CardRenderer } from '../../src/cards/card-renderer';
import { CardViews } from '../../src/cards/card-views';
import type { PhoneMethod } from '../../src/directory/phone-directory';
import { LOCALES, type Locale } from '../../src/i18n/locale';
import { translator } from '../../src/i18n/messages';
import { collectTexts, validateCard } from '../support/validate-card';

const METHODS: PhoneMethod[] = [
  { id: 'b6332ec1-7057-4abe-9331-3d72feddfe41', phoneType: 'alternateMobile', phoneNumber: '+81 312345678' },
  { id: '3179e48a-750b-4051-897c-87b9720928f7', phoneType: 'mobile', phoneNumber: '+81 9012345678' },
];

function views(demoMode: boolean): CardViews {
  return new CardViews({
    renderer: new CardRenderer(join(__dirname, '..', '..', 'cards')),
    demoMode,
    portalUrl: 'https://mysignins.microsoft.com/security-info',
    helpdeskContact: 'helpdesk@example.edu, ext. 1234',
  });
}

/** Every card of the conversation, with realistic data, in one language. */
function allCards(locale: Locale, demoMode = true): Record<CardName, Attachment> {
  const t = translator(locale);
  const v = views(demoMode);
  return {
    welcome: v.welcome(t, METHODS, true, 'n1'),
    help: v.help(t, 'n2'),
    'phone-type': v.phoneType(t, {
      registered: METHODS,
      offered: ['office'],
      selected: 'office',
      error: t('typeError.alternate_requires_mobile'),
      nonce: 'n3',
    }),
    'phone-number': v.phoneNumber(t, {
      phoneType: 'office',
      countries: [
        { title: 'Japan (+81)', value: 'JP' },
        { title: 'France (+33)', value: 'FR' },
      ],
      region: 'JP',
      number: '092-802-2111',
      example: '090-1234-5678',
      error: t('phoneError.voip'),
      nonce: 'n4',
    }),
    'verify-method': v.verifyMethod(t, {
      maskedNumber: '+81 XXXXXX5678',
      smsAvailable: true,
      callAvailable: true,
      error: t('deliveryError.sms', { number: '+81 XXXXXX5678' }),
      nonce: 'n5',
    }),
    'enter-code': v.enterCode(t, { maskedNumber: '+81 XXXXXX5678', minutes: 10, sending: false, error: t('codeStep.wrong', { attempts: 4 }), nonce: 'n6' }),
    'call-me': v.callMe(t, { maskedNumber: '+81 XXXXXX5678', caller: '+81 50 1234 0000', smsAvailable: true, error: '', nonce: 'n7' }),
    calling: v.calling(t, { maskedNumber: '+81 XXXXXX5678', code: '123 456', nonce: 'n8' }),
    'call-failed': v.callFailed(t, { reason: t('callFailed.no_answer', { number: '+81 XXXXXX5678' }), smsAvailable: false, nonce: 'n9' }),
    registered: v.registered(t, { phoneType: 'mobile', maskedNumber: '+81 XXXXXX5678', methods: METHODS, canAdd: true, nonce: 'n10' }),
    'guided-step': v.guidedStep(t, {
      title: t('guided.b.category.title'),
      counter: t('guided.counterPart', { step: 2, total: 5, part: 2, parts: 2 }),
      reason: t('guided.reason.no_write_permission'),
      body: t('guided.b.category.body'),
      note: t('guided.intro.hint', { moreInfo: t('guided.ui.moreInfo'), securityInfo: t('guided.ui.securityInfo') }),
      facts: [{ title: t('guided.b.category.work'), value: t('guided.quote', { name: t('guided.ui.officePhone') }) }],
      question: t('guided.intro.question'),
      canGoBack: true,
      last: false,
      nonce: 'n12',
    }),
    'step-up': v.stepUp(t, { methods: METHODS, error: t('stepUp.unverifiable'), nonce: 'n13' }),
    'manage-phones': v.managePhones(t, { methods: METHODS, error: t('manage.required'), nonce: 'n14' }),
    'confirm-remove': v.confirmRemove(t, { phoneType: 'alternateMobile', maskedNumber: '+81 XXXXX5678', nonce: 'n15' }),
    summary: v.summary(t('typeStep.title'), [{ title: t('typeStep.summary'), value: t('type.mobile') }], t('codeStep.sending', { number: '+81 XXXXXX5678' })),
  };
}

describe.each(LOCALES)('cards in %s', (locale) => {
  const cards = allCards(locale);

  it('covers every template', () => {
    expect(Object.keys(cards).sort()).toEqual([...CARD_NAMES].sort());
  });

  it.each(CARD_NAMES)('%s is a valid Adaptive Card 1.5 for Teams with labelled inputs and no template left', (name) => {
    const attachment = cards[name];
    expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(validateCard(attachment.content as object)).toEqual([]);
    expect(JSON.stringify(attachment.content)).not.toContain('${');
  });

  it.each(CARD_NAMES)('%s shows no placeholder braces and no full number', (name) => {
    const texts = collectTexts(cards[name].content as object);
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) expect(text).not.toMatch(/\{\w+\}/);
    expect(JSON.stringify(cards[name].content)).not.toContain('9012345678');
  });
});

describe('card language and demo footer', () => {
  it('renders Japanese text from the Japanese catalog, not English', () => {
    const en = collectTexts(allCards('en').welcome.content as object).join('\n');
    const ja = collectTexts(allCards('ja').welcome.content as object).join('\n');
    expect(en).toContain('Add a phone');
    expect(ja).toContain('電話を追加');
    expect(ja).not.toContain('Add a phone');
  });

  it('says on every card but the summary that demo mode writes nothing, and says nothing of it in production', () => {
    for (const [name, card] of Object.entries(allCards('en', true))) {
      if (name === 'summary') continue;
      expect(collectTexts(card.content as object).join('\n')).toContain('nothing is written to Entra ID');
    }
    for (const card of Object.values(allCards('en', false))) {
      expect(collectTexts(card.content as object).join('\n')).not.toContain('Demo mode');
    }
  });

  it('leaves a template expression typed by a user as plain text', () => {
    const t = translator('en');
    const card = views(true).phoneNumber(t, { phoneType: 'mobile', countries: [], region: 'JP', number: '${t.title}', example: '', error: '', nonce: 'n' });
    const input = (card.content as { body: { id?: string; value?: string }[] }).body.find((e) => e.id === 'number');
    expect(input?.value).toBe('${t.title}');
  });
});

describe('errors on the number card', () => {
  it('sit right above the number field they are about, after the country', () => {
    const body = (allCards('en')['phone-number'].content as { body: { id?: string; text?: string }[] }).body;
    const numberAt = body.findIndex((e) => e.id === 'number');
    expect(body[numberAt - 2]?.id).toBe('region');
    expect(body[numberAt - 1]?.text).toBe(`⚠ ${translator('en')('phoneError.voip')}`);
  });
});

describe('numbers on cards', () => {
  it('keep the country code and the digits together (no-break space) so they do not wrap on a phone', () => {
    const card = allCards('en').registered.content as { body: { facts?: { value: string }[] }[] };
    const values = card.body.flatMap((e) => e.facts ?? []).map((f) => f.value);
    expect(values).toContain('+81\u00a0XXXXXX5678');
    expect(values.join(' ')).not.toMatch(/\+81 X/);
  });

  it('keep them together in the read-only summaries too, and leave other spaces alone', () => {
    const t = translator('en');
    const card = views(true).summary(
      t('methodStep.title', { number: '+81 XXXXXX5678' }),
      [{ title: 'Number', value: '+1 XXXXXX0123 x12' }],
      'Sent to +44 XXXXXX9876.',
    ).content;
    const json = JSON.stringify(card);
    expect(json).toContain('+81\u00a0XXXXXX5678');
    expect(json).toContain('+1\u00a0XXXXXX0123 x12');
    expect(json).toContain('Sent to +44\u00a0XXXXXX9876.');
    expect(json).not.toMatch(/\+\d+ X/);
  });
});
