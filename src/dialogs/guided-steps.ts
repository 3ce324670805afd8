import type { Fact } from '../cards/card-data';
import type { MessageKey, MessageParams, Translator } from '../i18n/messages';

/** Why the user is guided through the portal instead of registering through the bot. */
export type GuidedReason = 'chosen' | 'no_write_permission' | 'unverifiable_methods' | 'first_phone_policy';

/** The guide's step 2 branches: no MFA information yet ("More information required"), or already registered. */
export type GuidedBranch = 'first' | 'registered';

/** One card of the guided mode. */
export type GuidedStepId = 'intro' | 'a.moreInfo' | 'a.differentMethod' | 'a.choosePhone' | 'b.addMethod' | 'b.category' | 'number' | 'verify' | 'done';

/** Number of steps in the helpdesk guide; the cards count in its steps so both can be compared. */
const GUIDE_STEP_COUNT = 5;

const BRANCH_STEPS: { readonly [B in GuidedBranch]: readonly GuidedStepId[] } = {
  first: ['a.moreInfo', 'a.differentMethod', 'a.choosePhone'],
  registered: ['b.addMethod', 'b.category'],
};

/** The guide's step each card belongs to. */
const GUIDE_STEP: { readonly [S in GuidedStepId]: number } = {
  intro: 1,
  'a.moreInfo': 2,
  'a.differentMethod': 2,
  'a.choosePhone': 2,
  'b.addMethod': 2,
  'b.category': 2,
  number: 3,
  verify: 4,
  done: 5,
};

/** The cards of one branch, in order: open the page, the branch's own cards, then number, verify, done. */
export function guidedSequence(branch: GuidedBranch): readonly GuidedStepId[] {
  return ['intro', ...BRANCH_STEPS[branch], 'number', 'verify', 'done'];
}

/** The first card of a branch (after the intro). */
export function firstBranchStep(branch: GuidedBranch): GuidedStepId {
  return BRANCH_STEPS[branch][0]!;
}

/** "Step 2 of 5", with the part when the guide's step spans several cards. */
export function guidedCounter(t: Translator, step: GuidedStepId, branch: GuidedBranch | undefined): string {
  const params = { step: GUIDE_STEP[step], total: GUIDE_STEP_COUNT };
  const parts = branch ? BRANCH_STEPS[branch] : [];
  const part = parts.indexOf(step);
  if (part < 0 || parts.length < 2) return t('guided.counter', params);
  return t('guided.counterPart', { ...params, part: part + 1, parts: parts.length });
}

/** The translated content of one card, without navigation. */
export interface GuidedStepText {
  readonly title: string;
  readonly body: string;
  readonly note: string;
  readonly facts: readonly Fact[];
  readonly question: string;
}

/** Every name on the Security info page, as parameters for the step texts. */
function pageNames(t: Translator, portalUrl: string): MessageParams {
  return {
    securityInfo: t('guided.ui.securityInfo'),
    moreInfo: t('guided.ui.moreInfo'),
    next: t('guided.ui.next'),
    differentMethod: t('guided.ui.differentMethod'),
    phone: t('guided.ui.phone'),
    confirm: t('guided.ui.confirm'),
    addMethod: t('guided.ui.addMethod'),
    officePhone: t('guided.ui.officePhone'),
    alternatePhone: t('guided.ui.alternatePhone'),
    receiveCode: t('guided.ui.receiveCode'),
    callMe: t('guided.ui.callMe'),
    enterCode: t('guided.ui.enterCode'),
    openPortal: t('common.openPortal'),
    url: portalUrl,
  };
}

/** The texts of one card in the user's language; the names on the page are quoted as the page shows them. */
export function guidedStepText(t: Translator, step: GuidedStepId, portalUrl: string): GuidedStepText {
  const names = pageNames(t, portalUrl);
  const q = (name: MessageKey): string => t('guided.quote', { name: t(name) });
  const fact = (title: MessageKey, value: string): Fact => ({ title: t(title), value });
  const text = (title: string, body: string, facts: readonly Fact[], note = '', question = ''): GuidedStepText => ({ title, body, note, facts, question });

  switch (step) {
    case 'intro':
      return text(
        t('guided.intro.title'),
        t('guided.intro.body', names),
        [fact('guided.fact.page', q('guided.ui.securityInfo'))],
        t('guided.intro.hint', names),
        t('guided.intro.question'),
      );
    case 'a.moreInfo':
      return text(t('guided.a.moreInfo.title', names), t('guided.a.moreInfo.body', names), [
        fact('guided.fact.screen', q('guided.ui.moreInfo')),
        fact('guided.fact.button', q('guided.ui.next')),
      ]);
    case 'a.differentMethod':
      return text(t('guided.a.differentMethod.title'), t('guided.a.differentMethod.body', names), [fact('guided.fact.link', q('guided.ui.differentMethod'))]);
    case 'a.choosePhone':
      return text(t('guided.a.choosePhone.title', names), t('guided.a.choosePhone.body', names), [
        fact('guided.fact.select', q('guided.ui.phone')),
        fact('guided.fact.button', q('guided.ui.confirm')),
      ]);
    case 'b.addMethod':
      return text(
        t('guided.b.addMethod.title', names),
        t('guided.b.addMethod.body', names),
        [fact('guided.fact.page', q('guided.ui.securityInfo')), fact('guided.fact.button', q('guided.ui.addMethod'))],
        t('guided.b.addMethod.note'),
      );
    case 'b.category':
      return text(
        t('guided.b.category.title'),
        t('guided.b.category.body', names),
        [
          fact('guided.b.category.mobile', q('guided.ui.phone')),
          fact('guided.b.category.work', q('guided.ui.officePhone')),
          fact('guided.b.category.home', t('guided.or', { a: q('guided.ui.phone'), b: q('guided.ui.alternatePhone') })),
        ],
        t('guided.b.category.note', names),
      );
    case 'number':
      return text(
        t('guided.number.title'),
        t('guided.number.body', names),
        [
          fact('guided.fact.option', q('guided.ui.receiveCode')),
          fact('guided.fact.button', q('guided.ui.next')),
          fact('guided.fact.optionCall', q('guided.ui.callMe')),
        ],
        t('guided.number.note', names),
      );
    case 'verify':
      return text(
        t('guided.verify.title'),
        t('guided.verify.body', names),
        [fact('guided.fact.field', q('guided.ui.enterCode')), fact('guided.fact.button', q('guided.ui.next'))],
        t('guided.verify.note', names),
      );
    case 'done':
      return text(t('guided.done.title'), t('guided.done.body', names), [fact('guided.fact.page', q('guided.ui.securityInfo'))], t('common.strongerMethods'));
  }
}
