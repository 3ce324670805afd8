import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import type { Attachment } from 'botbuilder';
import type { CardName } from '../../src/cards/card-data';
import { CardRenderer } from '../../src/cards/card-renderer';
import { CardViews } from '../../src/cards/card-views';
import type { PhoneMethod } from '../../src/directory/phone-directory';
import { LOCALES, type Locale } from '../../src/i18n/locale';
import { translator } from '../../src/i18n/messages';
import { cardSamples } from '../../tools/screenshots/card-samples';

const CARDS_DIR = join(__dirname, '..', '..', 'cards');

/** What differs from one user to the next on their cards. */
interface User {
  readonly methods: readonly PhoneMethod[];
  readonly masked: string;
  readonly typed: string;
  readonly code: string;
  /** A free text that JSON has to escape, as a value of a summary line. */
  readonly note: string;
  /** Texts only this user's cards may contain. */
  readonly own: readonly string[];
}

const ANN: User = {
  methods: [
    { id: '11111111-aaaa-4aaa-8aaa-111111111111', phoneType: 'mobile', phoneNumber: '+81 9011112222' },
    { id: '22222222-aaaa-4aaa-8aaa-222222222222', phoneType: 'office', phoneNumber: '+81 312223333' },
  ],
  masked: '+81 XXXXXX2222',
  typed: '090-1111-2222',
  code: '111 222',
  note: '\nSECRET-A "quoted" \\ back',
  own: ['11111111-aaaa-4aaa-8aaa-111111111111', '22222222-aaaa-4aaa-8aaa-222222222222', 'XXXXXX2222', 'XXXXX3333', '090-1111-2222', '111 222', 'SECRET-A'],
};

const BO: User = {
  methods: [{ id: '99999999-bbbb-4bbb-8bbb-999999999999', phoneType: 'mobile', phoneNumber: '+44 7700900999' }],
  masked: '+44 XXXXXX0999',
  typed: '07700 900999',
  code: '999 000',
  note: 'SECRET-B',
  own: ['99999999-bbbb-4bbb-8bbb-999999999999', 'XXXXXX0999', '07700 900999', '999 000', 'SECRET-B'],
};

/** Every card that can carry a user's own values, rendered for `user` by the renderer under test. */
function cardsFor(views: CardViews, user: User, locale: Locale): Attachment[] {
  const t = translator(locale);
  return [
    views.welcome(t, user.methods, true, 'n1'),
    views.phoneType(t, { registered: user.methods, offered: ['alternateMobile'], error: '', nonce: 'n2' }),
    views.phoneNumber(t, {
      phoneType: 'office',
      countries: [{ title: 'Japan (+81)', value: 'JP' }],
      region: 'JP',
      number: user.typed,
      example: '',
      error: '',
      nonce: 'n3',
    }),
    views.verifyMethod(t, { maskedNumber: user.masked, smsAvailable: true, callAvailable: true, error: '', nonce: 'n4' }),
    views.enterCode(t, { maskedNumber: user.masked, minutes: 10, sending: false, error: '', nonce: 'n5' }),
    views.callMe(t, { maskedNumber: user.masked, caller: '', smsAvailable: true, error: '', nonce: 'n6' }),
    views.calling(t, { maskedNumber: user.masked, code: user.code, nonce: 'n7' }),
    views.callFailed(t, { reason: t('callFailed.no_answer', { number: user.masked }), smsAvailable: true, nonce: 'n8' }),
    views.registered(t, { phoneType: 'mobile', maskedNumber: user.masked, methods: user.methods, canAdd: true, nonce: 'n9' }),
    views.stepUp(t, { methods: user.methods, error: '', nonce: 'n10' }),
    views.managePhones(t, { methods: user.methods, error: '', nonce: 'n11' }),
    views.confirmRemove(t, { phoneType: 'mobile', maskedNumber: user.masked, nonce: 'n12' }),
    views.summary(
      t('numberStep.summary'),
      [
        { title: t('type.mobile'), value: user.masked },
        { title: 'note', value: user.note },
      ],
      t('codeStep.sending', { number: user.masked }),
    ),
  ];
}

describe('cards of two users', () => {
  it.each(LOCALES)("in %s, each user's cards hold their own values and none of the other's, however they interleave", (locale) => {
    const views = new CardViews({
      renderer: new CardRenderer(CARDS_DIR),
      demoMode: false,
      portalUrl: 'https://mysignins.microsoft.com/security-info',
      helpdeskContact: '',
    });
    // One renderer for both, in turns: Ann, Bo, Ann again (a second card for a user after another's).
    const rounds: Array<[User, User]> = [
      [ANN, BO],
      [BO, ANN],
      [ANN, BO],
    ];
    for (const [user, other] of rounds) {
      const cards = cardsFor(views, user, locale);
      const all = cards.map((card) => JSON.stringify(card.content)).join('\n');
      for (const own of user.own) expect(all).toContain(JSON.stringify(own).slice(1, -1));
      for (const foreign of other.own) expect(all).not.toContain(foreign);
    }
  });

  it('keeps a value that JSON escapes exactly as given', () => {
    const views = new CardViews({
      renderer: new CardRenderer(CARDS_DIR),
      demoMode: false,
      portalUrl: 'https://mysignins.microsoft.com/security-info',
      helpdeskContact: '',
    });
    const ann = views.summary('T', [{ title: 'note', value: ANN.note }]);
    const bo = views.summary('T', [{ title: 'note', value: BO.note }]);
    expect(collectFactValues(ann.content)).toEqual([ANN.note]);
    expect(collectFactValues(bo.content)).toEqual([BO.note]);
  });
});

/** The values of every fact in a card. */
function collectFactValues(node: unknown): unknown[] {
  if (Array.isArray(node)) return node.flatMap(collectFactValues);
  if (node === null || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  const own = record.type === 'FactSet' && Array.isArray(record.facts) ? (record.facts as Array<{ value: unknown }>).map((fact) => fact.value) : [];
  return [...own, ...Object.values(record).flatMap(collectFactValues)];
}

describe('rendered cards', () => {
  /** The data each template gets for every sample card, in every language. */
  function sampleData(): Array<[CardName, object, Record<string, unknown>]> {
    const captured: Array<[CardName, object, Record<string, unknown>]> = [];
    const real = new CardRenderer(CARDS_DIR);
    const recording: Pick<CardRenderer, 'render'> = {
      render: (name, data) => {
        const attachment = real.render(name, data);
        captured.push([name, data, attachment.content as Record<string, unknown>]);
        return attachment;
      },
    };
    const views = new CardViews({
      renderer: recording,
      demoMode: true,
      portalUrl: 'https://mysignins.microsoft.com/security-info',
      helpdeskContact: 'helpdesk@example.edu',
    });
    for (const locale of LOCALES) cardSamples(views, locale);
    return captured;
  }

  const samples = sampleData();

  it('cover every template in every language', () => {
    expect(samples.length).toBe(
      LOCALES.length *
        Object.keys(
          cardSamples(
            new CardViews({ renderer: new CardRenderer(CARDS_DIR), demoMode: true, portalUrl: 'https://x.example', helpdeskContact: '' }),
            LOCALES[0]!,
          ),
        ).length,
    );
  });

  it.each(samples.map(([name, data, content], index) => [`${name} #${index}`, name, data, content] as const))(
    '%s is the plain expansion of its own data',
    (_label, name, data, content) => {
      const template = new ACData.Template(JSON.parse(readFileSync(join(CARDS_DIR, `${name}.json`), 'utf8')));
      expect(content).toEqual(template.expand({ $root: data }));
    },
  );
});
