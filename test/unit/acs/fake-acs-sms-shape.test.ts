import { SmsClient } from '@azure/communication-sms';
import { FakeAcsServer, sendMessageRequestProblem } from '../../fakes/fake-acs-server';

/**
 * The fake's send endpoint accepts exactly what the SMS SDK serializes and refuses what its mappers
 * would never produce, so a test cannot pass against a body ACS would reject.
 */
describe('fake ACS SMS request shape', () => {
  const valid = {
    from: '+18005550100',
    smsRecipients: [{ to: '+447700900123', repeatabilityRequestId: 'a', repeatabilityFirstSent: 'Tue, 01 Dec 2026 00:00:00 GMT' }],
    message: 'hello',
    smsSendOptions: { enableDeliveryReport: false, tag: 't', messagingConnect: { apiKey: 'k', partner: 'infobip' } },
  };

  it('accepts the body the SDK itself sends, Messaging Connect included', async () => {
    const fake = await FakeAcsServer.start();
    try {
      fake.messagingConnectKeys.set('infobip', 'k');
      const client = new SmsClient(fake.connectionString, { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });
      const [result] = await client.send(
        { from: '+18005550100', to: ['+819012345678'], message: 'hello' },
        { enableDeliveryReport: true, tag: 't', deliveryReportTimeoutInSeconds: 60, messagingConnect: { apiKey: 'k', partner: 'infobip' } },
      );
      expect(result?.successful).toBe(true);
      const [sent] = fake.requestsTo('/sms');
      expect(sendMessageRequestProblem(sent?.body)).toBeUndefined();
    } finally {
      await fake.close();
    }
  });

  it('accepts a valid body', () => {
    expect(sendMessageRequestProblem(valid)).toBeUndefined();
  });

  it.each<[string, unknown]>([
    ['no from', { ...valid, from: undefined }],
    ['no message', { ...valid, message: undefined }],
    ['a message over 2048 characters', { ...valid, message: 'x'.repeat(2049) }],
    ['no recipients', { ...valid, smsRecipients: [] }],
    ['a recipient without to', { ...valid, smsRecipients: [{ repeatabilityRequestId: 'a' }] }],
    ['the 1.1 shape "to" at the top level', { ...valid, to: ['+447700900123'] }],
    ['options without enableDeliveryReport', { ...valid, smsSendOptions: { tag: 't' } }],
    ['a delivery report timeout under 60 s', { ...valid, smsSendOptions: { enableDeliveryReport: true, deliveryReportTimeoutInSeconds: 10 } }],
    ['messagingConnect without apiKey', { ...valid, smsSendOptions: { enableDeliveryReport: false, messagingConnect: { partner: 'infobip' } } }],
    ['messagingConnect without partner', { ...valid, smsSendOptions: { enableDeliveryReport: false, messagingConnect: { apiKey: 'k' } } }],
    ['messagingConnect at the top level', { ...valid, messagingConnect: { apiKey: 'k', partner: 'infobip' } }],
  ])('refuses %s', (_name, body) => {
    expect(sendMessageRequestProblem(JSON.parse(JSON.stringify(body)))).toEqual(expect.any(String));
  });
});
