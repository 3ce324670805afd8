import type { Catalog } from './en';
import { guidedJa } from './guided.ja';

/** The Japanese catalog. Button names follow the Japanese Security info page (セキュリティ情報). */
export const ja: Catalog = {
  'common.cancel': 'キャンセル',
  'common.back': '戻る',
  'common.next': '次へ',
  'common.done': '完了',
  'common.demoFooter': 'デモモード: Entra ID には何も書き込まれず、実際の SMS や電話も送られません。コードはボットのコンソールに表示されます。',
  'common.strongerMethods':
    '電話は制限付きのサインイン方法です。パスキーや Microsoft Authenticator アプリの方が安全です。セキュリティ情報でこちらも追加してください。',
  'common.openPortal': 'セキュリティ情報を開く',
  'common.alreadyHandled': 'このカードは処理済みです。これ以上の操作は不要です。',
  'common.staleCard': 'このカードはもう使えません。下の最新のカードを使ってください。',
  'common.tryAgain': 'このカードへの回答が同時に複数届きました。少し待ってからもう一度お試しください。',
  'common.movedOn':
    '同じタイミングでこのチャットに別の操作があったため、直前の回答は保存されませんでした。最新のメッセージを確認し、必要であればもう一度お試しください。',
  'common.cancelled': 'キャンセルしました。何も変更されていません。もう一度始めるには、何かメッセージを送ってください。',
  'common.useCard': '上のカードで回答してください。やめるには「キャンセル」と入力してください。',
  'common.unusableInput':
    'カードから送られた内容を使えませんでした。入力に使えない文字（改行やタブなど）が含まれているか、長すぎます。入力内容を確認してもう一度お試しください。やめるには「キャンセル」と入力してください。',
  'common.unexpectedError': '申し訳ありません。こちら側で問題が発生しました。何も変更されていません。しばらくしてからもう一度お試しください。',
  'common.noWorkAccount': 'Microsoft Teams にサインインした職場アカウントでのみご利用いただけます。',
  'common.contactHelpdesk': '繰り返し発生する場合は、ヘルプデスクにお問い合わせください: {contact}',

  'type.mobile': '電話',
  'type.alternateMobile': '代替の電話',
  'type.office': '会社電話',
  'type.mobile.advice': '携帯電話・スマートフォン。自宅の固定電話でも使えます。',
  'type.alternateMobile.advice': '2 台目の電話 (例: 自宅の固定電話)。先に「電話」の登録が必要です。',
  'type.office.advice': '職場の固定電話 (直通番号)。電話でのみ確認します。サインインの電話は内線番号をダイヤルできません。',

  'welcome.title': 'サインイン確認用の電話を設定する',
  'welcome.intro':
    '職場アカウントの多要素認証 (MFA) の方法として電話番号を登録するお手伝いをします。セキュリティ情報のページと同じ手続きを順番に案内し、保存する前にその電話があなたのものか確認します。',
  'welcome.methodsHeading': '登録済みの電話',
  'welcome.noMethods': 'まだ電話が登録されていません。登録しましょう (2 分ほどで終わります)。',
  'welcome.add': '電話を追加',
  'welcome.portal': 'ポータルで自分で設定する',
  'welcome.help': 'ヘルプ',
  'welcome.allRegistered': '3 種類の電話がすべて登録されています。番号を変更するには「変更または削除」を選んでください。',

  'help.title': '使い方',
  'help.steps':
    '1. 電話の種類を選びます。\n2. 国/地域を選び、電話番号を入力します。\n3. 「コードを受け取る」(SMS) または「電話する」を選びます。\n4. コードを入力するか、電話に出てキーパッドでコードを入力します。\n5. セキュリティ情報の一覧に電話が追加されます。',
  'help.typing': '「電話を追加」「登録済みの電話」「ヘルプ」「キャンセル」はいつでも入力できます。',
  'help.portal': '[セキュリティ情報のページ]({url})で自分で設定することもできます。',

  'typeStep.title': 'どの電話を追加しますか?',
  'typeStep.guide': '携帯電話・スマートフォン → 電話。職場の固定電話 → 会社電話。自宅の固定電話 → 電話 または 代替の電話。',
  'typeStep.label': '電話の種類',
  'typeStep.required': '電話の種類を選んでください。',
  'typeStep.registeredHeading': '登録済み',
  'typeStep.summary': '電話の種類',

  'numberStep.title': '{type}: 電話番号を入力',
  'numberStep.countryLabel': '国/地域',
  'numberStep.countryRequired': '電話番号の国/地域を選んでください。',
  'numberStep.numberLabel': '電話番号',
  'numberStep.numberPlaceholder': '例: {example}',
  'numberStep.numberRequired': '電話番号を入力してください。',
  'numberStep.numberHint': '国内でかけるときの番号、または国番号 (+) 付きで入力してください。スペース、ハイフン、かっこ、全角数字も使えます。',
  'numberStep.extensionNote':
    'サインインの電話は内線番号をダイヤルできません (Microsoft が発信前に取り除きます)。あなたの電話に直接つながる直通番号を入力してください。',
  'numberStep.summary': '電話番号',

  'phoneError.empty': '電話番号を入力してください。',
  'phoneError.not_a_number': '電話番号として読み取れません。数字と、国番号の + を使ってください。',
  'phoneError.too_short': '番号が短すぎます。すべての桁を入力したか確認してください。',
  'phoneError.too_long': '番号が長すぎます。余分な桁がないか確認してください。',
  'phoneError.invalid_country': '国/地域を選ぶか、国番号 (+) 付きで番号を入力してください。',
  'phoneError.invalid_for_region': '{country} の電話番号として正しくありません。番号と国/地域を確認してください。',
  'phoneError.country_not_allowed': '{country} の電話番号はここでは登録できません。登録できる国/地域: {allowed}',
  'phoneError.premium_rate': '有料情報サービスの番号 (0990 など) はサインインに使えません。ご自身の携帯電話か固定電話を使ってください。',
  'phoneError.shared_cost': '料金分担型の番号はサインインに使えません。ご自身の携帯電話か固定電話を使ってください。',
  'phoneError.voip': 'IP 電話 (050 など) の番号はサインインに使えません。携帯電話か固定電話の番号を使ってください。',
  'phoneError.toll_free': 'フリーダイヤル (0120・0800 など) はサインインに使えません。ご自身の携帯電話か固定電話を使ってください。',
  'phoneError.uan': 'ナビダイヤル (0570 など) はサインインに使えません。ご自身の携帯電話か固定電話を使ってください。',
  'phoneError.pager': 'ポケベル (020 など) の番号はサインインに使えません。携帯電話か固定電話の番号を使ってください。',
  'phoneError.voicemail': '留守番電話サービスの番号はサインインに使えません。携帯電話か固定電話の番号を使ってください。',
  'phoneError.personal_number': '転送用のパーソナル番号はサインインに使えません。電話機そのものの番号を使ってください。',
  'phoneError.invalid_extension': '内線番号は 10 桁以内の数字で入力してください。',
  'phoneError.extension_not_allowed': 'サインイン用の電話番号には内線番号を付けられません。内線番号を消して直通番号を入力してください。',
  'phoneError.extension_not_dialed':
    'サインインの電話は内線番号をダイヤルできないため (Microsoft が発信前に取り除きます)、この番号ではあなたにつながりません。あなたの電話に直接つながる直通番号を入力するか、携帯電話を登録してください。',

  'typeError.type_already_registered': '{type} はすでに登録されています。別の種類を選ぶか、戻って「変更または削除」から変更してください。',
  'typeError.alternate_requires_mobile':
    '「代替の電話」を登録するには、先に「電話」の登録が必要です。携帯電話 (または自宅の電話) を「電話」として登録してから追加してください。',
  'typeError.type_not_allowed': 'あなたの組織では {type} をサインインに使えません。',

  'methodStep.title': '{number} をどの方法で確認しますか?',
  'methodStep.why': '番号を登録する前に、その電話があなたのものか確認します。',
  'methodStep.sms': 'コードを受け取る',
  'methodStep.call': '電話する',
  'methodStep.smsUnavailable': 'この番号には SMS を送れないため、電話で確認します。',
  'methodStep.summary': '確認方法',

  'codeStep.sending': '{number} にコードを送信しています…',
  'codeStep.title': 'コードの入力',
  'codeStep.sent': '{number} に SMS で 6 桁のコードを送りました。有効期間は {minutes} 分です。',
  'codeStep.label': 'コード',
  'codeStep.placeholder': '6 桁の数字',
  'codeStep.required': 'SMS に書かれた 6 桁のコードを入力してください。',
  'codeStep.verify': '確認',
  'codeStep.resend': '新しいコードを送る',
  'codeStep.changeNumber': '別の番号を使う',
  'codeStep.resendHint': '1 分たっても届かない場合は、前回から 30 秒後に新しいコードを要求できます。',
  'codeStep.wrong': 'コードが正しくありません。あと {attempts} 回入力できます。',
  'codeStep.wrongLast': 'コードが正しくありません。あと 1 回入力できます。',
  'codeStep.dead': '間違いが多すぎたため、このコードは使えなくなりました。新しいコードを送ってください。',
  'codeStep.expired': 'コードの有効期限が切れました。新しいコードを送ってください。',
  'codeStep.malformed': 'コードは 6 桁の数字です。',
  'codeStep.cooldown': '次のコードを要求できるまで、あと {seconds} 秒お待ちください。',
  'codeStep.resendLimit': 'この番号に送れるコードの上限に達しました。「電話する」を使うか、別の番号を使うか、しばらくしてからやり直してください。',
  'codeStep.resent': '{number} に新しいコードを送りました。前のコードは使えません。',
  'codeStep.summary': 'コード',
  'codeStep.summaryVerified': '確認済み',

  'callStep.title': '{number} に電話します',
  'callStep.explain':
    '「今すぐ電話する」を押すと、{caller} から {number} に電話がかかります。電話に出ると、下の 6 桁のコードをキーパッドで入力するよう音声で案内されます。',
  'callStep.unknownCaller': '不明または非通知の番号',
  'callStep.codeLabel': 'キーパッドで入力するコード',
  'callStep.start': '今すぐ電話する',
  'callStep.useSms': '代わりにコードを受け取る',
  'callStep.calling': '{number} に電話しています… 電話に出て、キーパッドで {code} と入力してください。',
  'callStep.summary': '電話',
  'callStep.summaryVerified': '応答してコードを入力済み',

  'callFailed.title': '電話で確認できませんでした',
  'callFailed.no_answer': '{number} への電話に応答がありませんでした。',
  'callFailed.busy': '{number} は話し中でした。',
  'callFailed.rejected': '{number} への電話が拒否されました。',
  'callFailed.recognize_failed': 'キーパッドからコードを受け取れませんでした。',
  'callFailed.failed': '{number} に電話をかけられませんでした。',
  'callFailed.wrong_digits': 'キーパッドで入力された数字がコードと一致しませんでした。',
  'callFailed.callAgain': 'もう一度電話する',

  'deliveryError.sms': '{number} に SMS を送れませんでした。代わりに「電話する」を試すか、別の番号を使ってください。',
  'deliveryError.call': '{number} に電話をかけられませんでした。しばらくしてからもう一度試すか、別の番号を使ってください。',

  'register.saving': '{number} を {type} として登録しています…',
  'register.doneTitle': '電話が登録されました',
  'register.doneText': '{type} {number} がセキュリティ情報の一覧に追加されました。',
  'register.nextHeading': '次にすること',
  'register.nextDefault': 'セキュリティ情報のページで、既定のサインイン方法を確認してください。',
  'register.addAnother': '別の電話を追加',

  'directoryError.type_already_registered': '{type} はすでに登録されています。何も変更されていません。',
  'directoryError.alternate_requires_mobile': '「代替の電話」には先に「電話」の登録が必要です。何も変更されていません。',
  'directoryError.invalid_phone_format': 'Entra ID がこの番号を受け付けませんでした。何も変更されていません。番号を確認してもう一度お試しください。',
  'directoryError.mobile_required_by_alternate':
    '「代替の電話」が登録されている間は「電話」を削除できません。先に代替の電話を削除するか、電話の番号を変更してください。',
  'directoryError.default_method':
    'この電話は既定のサインイン方法のため削除できません。セキュリティ情報のページで既定のサインイン方法を変更 (「既定のサインイン方法」の横の「変更」) してから、もう一度お試しください。',
  'directoryError.method_not_found': 'その電話はもう登録されていません。何も変更されていません。',
  'directoryError.permission_denied':
    'このボットには、あなたの組織のサインイン方法を変更する権限がありません。セキュリティ情報のページを使うか、ヘルプデスクにお問い合わせください。',
  'directoryError.user_not_found': 'ディレクトリにあなたのアカウントが見つかりません。ヘルプデスクにお問い合わせください。',
  'directoryError.conflict': '処理中にサインイン方法が変更されました。何も変更されていません。もう一度お試しください。',
  'directoryError.graph_throttled': 'ディレクトリが混み合っています。{seconds} 秒後にもう一度お試しください。',
  'directoryError.graph_unavailable': 'ディレクトリが現在利用できません。何も変更されていません。数分後にもう一度お試しください。',
  'directoryError.graph_timeout': 'ディレクトリから時間内に応答がありませんでした。もう一度試す前に、セキュリティ情報の一覧を確認してください。',
  'directoryError.graph_error': 'ディレクトリで要求を完了できませんでした。何も変更されていません。後でもう一度お試しください。',

  'limits.user': '短時間に多くのコードが要求されました。{time}後にもう一度お試しください。',
  'limits.number': 'この番号には直近で複数のコードが送られています。{time}後にもう一度お試しください。',
  'limits.country': '本日この国/地域へ送られたコードが多すぎます。{time}後にもう一度試すか、ヘルプデスクにお問い合わせください。',
  'limits.minutes': '{n} 分',
  'limits.hours': '{n} 時間',
  'guard.wrongTenant': '申し訳ありません。このボットは所属組織の方専用です。ご自身の組織のセキュリティ情報のページをご利用ください。',
  'guard.personalOnly': '電話番号などの情報を守るため、1 対 1 のチャットでのみご利用いただけます。[ボットとのチャットを開く]({link})',
  'guard.personalOnlyNoLink': '電話番号などの情報を守るため、1 対 1 のチャットでのみご利用いただけます。アプリの一覧からボットとのチャットを開いてください。',
  'access.notMember':
    '申し訳ありません。このボットはあなたのアカウントではご利用いただけません。サインイン用の電話の登録が必要な場合は、{contact} にお問い合わせいただくか、セキュリティ情報のページをご利用ください: {url}',
  'access.notMemberNoContact':
    '申し訳ありません。このボットはあなたのアカウントではご利用いただけません。サインイン用の電話の登録が必要な場合は、ヘルプデスクにお問い合わせいただくか、セキュリティ情報のページをご利用ください: {url}',
  'access.unavailable': '申し訳ありません。このボットをあなたのアカウントでご利用いただけるか、現在確認できません。数分後にもう一度お試しください。',
  'guard.blocked': '確認の失敗が多すぎたため、現在あなたのアカウントでは電話による確認ができません。ヘルプデスクにお問い合わせください。',
  'codeStep.sendingStatus': '{number} にコードを送信しています… 送信されるとこのカードが更新されます。',
  'codeStep.sentStatus': '{number} にコードを送信しました。',

  'gate.firstPhonePortal': '組織の方針により、最初のサインイン方法はセキュリティ情報のページで登録してください: {url}',
  'gate.portal':
    'あなたのサインイン方法には、このボットでは確認できないもの (Microsoft Authenticator アプリなど) が含まれています。電話の追加や変更はセキュリティ情報のページで行ってください: {url}',
  'stepUp.title': 'まず本人確認をします',
  'stepUp.why': 'サインイン用の電話がすでに登録されています。変更の前に、登録済みの電話のどれかがお手元にあることを確認します (コードを送るか電話をかけます)。',
  'stepUp.label': '確認に使う電話',
  'stepUp.required': '登録済みの電話を 1 つ選んでください。',
  'stepUp.unverifiable': 'この電話はここでは確認できません。別の電話を選ぶか、セキュリティ情報のページを使ってください。',

  'welcome.manage': '変更または削除',
  'manage.title': 'どの電話を変更または削除しますか?',
  'manage.label': '電話',
  'manage.required': '電話を 1 つ選んでください。',
  'manage.change': '番号を変更',
  'manage.remove': '削除',
  'manage.none': '変更や削除ができる電話は登録されていません。',
  'remove.title': '{type} {number} を削除しますか?',
  'remove.explain': 'この電話はサインインに使えなくなります。電話はいつでも追加し直せます。',
  'remove.confirm': '削除する',
  'remove.keep': '削除しない',
  'remove.doneTitle': '電話を削除しました',
  'remove.doneText': '{type} {number} をセキュリティ情報の一覧から削除しました。',
  'change.doneTitle': '番号を変更しました',
  'change.doneText': '{type} は {number} になりました。',

  'policy.phoneOff':
    'あなたの組織では電話によるサインイン (SMS と音声通話) が無効になっています。セキュリティ情報のページでパスキーまたは Microsoft Authenticator アプリを設定してください: {url}',
  'notice.beforeRetirement':
    '{date}以降、Microsoft はサインインとパスワード リセット用のコードを SMS や音声通話で自ら届けなくなります。その後は、組織が Microsoft Security Store を通じて独自の通信事業者を設定している場合にのみ、電話をこれらに使えます。2026 年 9 月 1 日以降、SMS や音声通話が有効なユーザーにはパスキーの登録が求められています。',
  'notice.afterRetirement':
    '{date}以降、Microsoft はサインインとパスワード リセット用のコードを SMS や音声通話で届けておらず、あなたの組織は独自の通信事業者を設定していないため、電話はサインインに使えません。代わりにセキュリティ情報のページでパスキーまたは Microsoft Authenticator アプリを設定してください: {url}',

  'voice.askCode':
    'こちらは、Microsoft Teams でご依頼いただいた電話番号の確認のお電話です。Teams に表示されている 6 桁のコードを、電話のキーパッドで入力してください。',
  'voice.askCodeAgain': 'コードを受け取れませんでした。Teams に表示されている 6 桁のコードを、電話のキーパッドで入力してください。',
  'voice.thanks': 'ありがとうございました。Teams に戻って手続きを続けてください。失礼いたします。',
  'voice.goodbye': 'コードを受け取れませんでした。Teams に戻って、もう一度お試しください。失礼いたします。',

  'summary.answered': '回答済み',
  'summary.cancelled': 'キャンセル済み',

  'sms.text': '{org}のサインイン確認コードは {code} です。有効期間は {minutes} 分です。このコードは誰にも教えないでください。',
  'sms.org': '職場アカウント',

  // Guided mode (the Security info page, step by step)
  ...guidedJa,
};
