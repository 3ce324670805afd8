/** What the helpdesk message links to. */
export interface EmployeeMessageLinks {
  /** Short link that opens the chat with the bot. */
  readonly startUrl: string;
  /** Short link that opens the app's install page. */
  readonly installUrl: string;
  /** Who to contact with questions; the line is left out when absent. */
  readonly helpdeskContact?: string;
}

/** The ready-to-send message for employees, per language and both together. */
export interface EmployeeMessage {
  readonly en: string;
  readonly ja: string;
  /** English, then Japanese, separated by a rule: one text for a bilingual mail or poster. */
  readonly combined: string;
}

/** Builds the message helpdesk staff send to employees, in English and Japanese. */
export function employeeMessage(links: EmployeeMessageLinks): EmployeeMessage {
  const en = [
    'Subject: Register your phone for sign-in verification (MFA) in Teams',
    '',
    'Our Teams assistant walks you through registering a phone number as a sign-in verification',
    '(multi-factor authentication) method, step by step. It takes about five minutes; keep your phone at hand.',
    '',
    `1. Open this link on a device where you use Teams: ${links.startUrl}`,
    '   On a smartphone you can scan the QR code instead.',
    '2. Teams opens a chat with the assistant. Type "add phone" and follow the cards.',
    `3. If the chat does not open, add the app first: ${links.installUrl}`,
    '',
    'The assistant never asks for your password. Never tell anyone a verification code, not even the helpdesk.',
    ...(links.helpdeskContact ? [`Questions: ${links.helpdeskContact}`] : []),
  ].join('\n');

  const ja = [
    '件名: Teams でサインイン確認（多要素認証）用の電話番号を登録してください',
    '',
    'Teams のアシスタントが、サインイン確認（多要素認証）に使う電話番号の登録を順番にご案内します。',
    '所要時間は 5 分ほどです。お手元に電話をご用意ください。',
    '',
    `1. Teams を使っている端末で次のリンクを開いてください: ${links.startUrl}`,
    '   スマートフォンでは QR コードを読み取っても開けます。',
    '2. アシスタントとのチャットが開きます。「電話を追加」と入力し、カードの案内に従ってください。',
    `3. チャットが開かない場合は、先にアプリを追加してください: ${links.installUrl}`,
    '',
    'アシスタントがパスワードを尋ねることはありません。確認コードは誰にも（ヘルプデスクにも）教えないでください。',
    ...(links.helpdeskContact ? [`お問い合わせ: ${links.helpdeskContact}`] : []),
  ].join('\n');

  return { en, ja, combined: `${en}\n\n----------------------------------------\n\n${ja}\n` };
}
