import { employeeMessage } from '../../../tools/teams-app/employee-message';

const LINKS = { startUrl: 'https://bot.contoso.example/start', installUrl: 'https://bot.contoso.example/start?install=1' };

describe('employeeMessage', () => {
  it('gives both links in English and Japanese, English first in the combined text', () => {
    const message = employeeMessage(LINKS);
    for (const text of [message.en, message.ja]) {
      expect(text).toContain(LINKS.startUrl);
      expect(text).toContain(LINKS.installUrl);
    }
    expect(message.en).toContain('"add phone"');
    expect(message.ja).toContain('「電話を追加」');
    expect(message.combined.indexOf(message.en)).toBe(0);
    expect(message.combined).toContain(message.ja);
    expect(message.en).not.toContain('Questions:');
  });

  it('names the helpdesk contact when given', () => {
    const message = employeeMessage({ ...LINKS, helpdeskContact: 'ext. 4357' });
    expect(message.en).toContain('Questions: ext. 4357');
    expect(message.ja).toContain('お問い合わせ: ext. 4357');
  });
});
