import type { Attachment } from 'botbuilder';
import type { CardName } from '../../src/cards/card-data';
import type { CardViews } from '../../src/cards/card-views';
import type { PhoneMethod } from '../../src/directory/phone-directory';
import { localeTag, type Locale } from '../../src/i18n/locale';
import { translator } from '../../src/i18n/messages';
import { CountryList } from '../../src/phone/country-list';

const METHODS: readonly PhoneMethod[] = [
  { id: 'b6332ec1-7057-4abe-9331-3d72feddfe41', phoneType: 'alternateMobile', phoneNumber: '+81 312345678' },
  { id: '3179e48a-750b-4051-897c-87b9720928f7', phoneType: 'mobile', phoneNumber: '+81 9012345678' },
];
const MASKED = '+81 XXXXXX5678';

/**
 * Every card of the conversation with realistic data, in one language. Cards that can show an error
 * show one, so the pictures also show how errors look. Typed by CardName: a new template that is
 * not pictured here fails to compile.
 */
export function cardSamples(views: CardViews, locale: Locale): Record<CardName, Attachment> {
  const t = translator(locale);
  const countries = new CountryList()
    .choices({ locale: localeTag(locale), defaultRegion: 'JP', frequent: ['US', 'GB'] })
    .frequent.map((country) => ({ title: country.title, value: country.region }));
  return {
    welcome: views.welcome(t, METHODS, true, 'n1'),
    help: views.help(t, 'n2'),
    'phone-type': views.phoneType(t, { registered: [], offered: ['mobile', 'alternateMobile', 'office'], selected: 'mobile', error: '', nonce: 'n3' }),
    'phone-number': views.phoneNumber(t, {
      phoneType: 'office',
      countries,
      region: 'JP',
      number: '050-1234-5678',
      example: '03-1234-5678',
      error: t('phoneError.voip'),
      nonce: 'n4',
    }),
    'verify-method': views.verifyMethod(t, {
      maskedNumber: MASKED,
      smsAvailable: true,
      callAvailable: true,
      error: t('deliveryError.sms', { number: MASKED }),
      nonce: 'n5',
    }),
    'enter-code': views.enterCode(t, { maskedNumber: MASKED, minutes: 10, sending: false, error: t('codeStep.wrong', { attempts: 4 }), nonce: 'n6' }),
    'call-me': views.callMe(t, { maskedNumber: MASKED, caller: '+81 50 1234 0000', smsAvailable: true, error: '', nonce: 'n7' }),
    calling: views.calling(t, { maskedNumber: MASKED, code: '123 456', nonce: 'n8' }),
    'call-failed': views.callFailed(t, { reason: t('callFailed.no_answer', { number: MASKED }), smsAvailable: true, nonce: 'n9' }),
    registered: views.registered(t, { phoneType: 'mobile', maskedNumber: MASKED, methods: METHODS, canAdd: true, nonce: 'n10' }),
    'step-up': views.stepUp(t, { methods: METHODS, error: '', nonce: 'n11' }),
    'manage-phones': views.managePhones(t, { methods: METHODS, error: '', nonce: 'n12' }),
    'confirm-remove': views.confirmRemove(t, { phoneType: 'alternateMobile', maskedNumber: '+81 XXXXX5678', nonce: 'n13' }),
    'guided-step': views.guidedStep(t, {
      title: t('guided.b.category.title'),
      counter: t('guided.counterPart', { step: 2, total: 5, part: 2, parts: 2 }),
      reason: t('guided.reason.no_write_permission'),
      body: t('guided.b.category.body'),
      note: t('guided.intro.hint', { moreInfo: t('guided.ui.moreInfo'), securityInfo: t('guided.ui.securityInfo') }),
      facts: [{ title: t('guided.b.category.work'), value: t('guided.quote', { name: t('guided.ui.officePhone') }) }],
      question: '',
      canGoBack: true,
      last: false,
      nonce: 'n14',
    }),
    summary: views.summary(t('typeStep.title'), [{ title: t('typeStep.summary'), value: t('type.mobile') }], t('codeStep.sending', { number: MASKED })),
  };
}
