import type { guidedEn } from './guided.en';

/**
 * Guided mode texts in Japanese. `guided.ui.*` are the names Microsoft's Japanese Security info page
 * shows, so the user can find the same words on the screen.
 */
export const guidedJa: { readonly [K in keyof typeof guidedEn]: string } = {
  // Names on the Security info page (Microsoft's Japanese UI)
  'guided.ui.securityInfo': 'セキュリティ情報',
  'guided.ui.moreInfo': '詳細情報が必要',
  'guided.ui.next': '次へ',
  'guided.ui.differentMethod': '別の方法を設定します',
  'guided.ui.phone': '電話',
  'guided.ui.confirm': '確認',
  'guided.ui.addMethod': 'サインイン方法の追加',
  'guided.ui.officePhone': '会社電話',
  'guided.ui.alternatePhone': '代替の電話',
  'guided.ui.receiveCode': 'コードを受け取る',
  'guided.ui.callMe': '電話する',
  'guided.ui.enterCode': 'コードの入力',

  // Card frame
  'guided.counter': 'ステップ {step}/{total}',
  'guided.counterPart': 'ステップ {step}/{total}（{part}/{parts}）',
  'guided.quote': '「{name}」',
  'guided.or': '{a}または{b}',
  'guided.factsHeading': 'ページに表示される名前',
  'guided.nextStep': '次のステップ',
  'guided.close': '閉じる',
  'guided.fact.screen': '画面',
  'guided.fact.page': 'ページ',
  'guided.fact.button': 'ボタン',
  'guided.fact.link': 'リンク',
  'guided.fact.select': '選択',
  'guided.fact.option': 'オプション',
  'guided.fact.optionCall': '電話で確認する場合',
  'guided.fact.field': '入力欄',

  // Why the user is in guided mode
  'guided.reason.chosen': 'ご自身で電話を登録する方法を選びました。このカードでは、ページの手順とボタンの名前を 1 ステップずつ案内します。',
  'guided.reason.no_write_permission':
    'このボットには、組織のサインイン方法を変更する権限がありません。セキュリティ情報ページでご自身で電話を登録してください。このカードで 1 ステップずつ案内します。',
  'guided.reason.first_phone_policy':
    '組織の方針により、最初のサインイン方法はセキュリティ情報のページで登録していただきます (組織のサインインのルールがそこで適用されます)。このカードで 1 ステップずつ案内します。',
  'guided.reason.unverifiable_methods':
    '登録済みのサインイン方法 (Microsoft Authenticator アプリのみなど) をボットでは確認できません。安全のため、現在の方法でサインインしてセキュリティ情報ページからご自身で電話を追加してください。',

  // Step 1: open the page
  'guided.intro.title': 'セキュリティ情報ページで電話を登録する',
  'guided.intro.body':
    '1. PC で、下の「{openPortal}」ボタンからセキュリティ情報ページを開くか、{url} にアクセスします。\n2. 職場アカウントでサインインします。\n\nスマートフォンでも登録できますが、一部の画面がこのカードと異なる場合があります。',
  'guided.intro.question': '以前に MFA 情報を登録したことがありますか?',
  'guided.intro.hint': 'わからない場合: ページに「{moreInfo}」と表示されたら初めての登録です。{securityInfo}の一覧が表示されたら登録済みです。',
  'guided.intro.first': 'いいえ、初めてです',
  'guided.intro.registered': 'はい、登録済みです',

  // Step 2, first time ("More information required")
  'guided.a.moreInfo.title': '「{moreInfo}」画面',
  'guided.a.moreInfo.body': 'サインインすると「{moreInfo}」という画面が表示されます。「{next}」をクリックします。',
  'guided.a.differentMethod.title': '別の方法を設定する',
  'guided.a.differentMethod.body':
    '次の画面では別の方法 (通常は Microsoft Authenticator アプリ) が案内されます。電話を使うには「{differentMethod}」をクリックします。',
  'guided.a.choosePhone.title': '「{phone}」を選ぶ',
  'guided.a.choosePhone.body': '方法を選ぶように求められたら「{phone}」を選び、「{confirm}」をクリックします。',

  // Step 2, already registered
  'guided.b.addMethod.title': '{securityInfo}ページ',
  'guided.b.addMethod.body': '{securityInfo}ページに、登録済みの方法が一覧表示されます。「{addMethod}」をクリックします。',
  'guided.b.addMethod.note': '以前の画面では、このボタンは「方法の追加」と表示されます。',
  'guided.b.category.title': '電話の種類を選ぶ',
  'guided.b.category.body': 'ドロップダウンから、お使いの電話に合った種類を選びます (下の表を参照)。',
  'guided.b.category.note': '「{alternatePhone}」を登録するには、先に「{phone}」が必要です。「{officePhone}」と「{alternatePhone}」は電話の着信で確認します。',
  'guided.b.category.mobile': '携帯電話・スマートフォン',
  'guided.b.category.work': '職場の固定電話',
  'guided.b.category.home': '自宅の固定電話',

  // Step 3: country/region and number
  'guided.number.title': '国/地域と電話番号',
  'guided.number.body':
    '1. 国/地域を選びます (日本の場合: 日本 (+81))。\n2. 電話番号を入力します。「{officePhone}」は直通番号を入力してください (サインインの電話は内線番号をダイヤルしません)。\n3. 「{receiveCode}」を選び、「{next}」をクリックします。',
  'guided.number.note': 'SMS を受け取れない場合や、「{officePhone}」または「{alternatePhone}」を選んだ場合は、「{callMe}」を選んで「{next}」をクリックします。',

  // Step 4: receive a code or a call
  'guided.verify.title': '電話がご自身のものであることを確認する',
  'guided.verify.body':
    '「{receiveCode}」を選んだ場合:\n1. 確認コードを SMS で送信したというメッセージが表示されます。\n2. 携帯電話に届いた SMS を確認します。\n3. 「{enterCode}」欄にコードを入力し、「{next}」をクリックします。',
  'guided.verify.note': '「{callMe}」を選んだ場合: 入力した番号に電話がかかってきます。電話に出て、音声の案内に従ってください。',

  // Step 5: registered
  'guided.done.title': '電話が登録されたことを確認する',
  'guided.done.body': '{securityInfo}の一覧に電話が表示されます。既定のサインイン方法もそこで選べます。',

  // Read-only summary when the guide is closed
  'guided.summary.title': 'ガイド: セキュリティ情報ページで電話を登録',
  'guided.summary.step': '最後に表示したステップ',
  'guided.summary.finished': '完了しました。セキュリティ情報はいつでも開けます: {url}',
  'guided.summary.closed': '閉じました。セキュリティ情報はいつでも開けます: {url}',
};
