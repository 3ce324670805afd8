import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallAutomationClient, type FileSource, type TextSource } from '@azure/communication-call-automation';
import { FakeAcsServer } from '../../fakes/fake-acs-server';

/**
 * The fake behaves like ACS for spoken prompts, checked with the Call Automation SDK itself: a text
 * prompt on a call created without an Azure AI services endpoint is accepted, then fails by callback;
 * a recorded file needs no AI resource.
 */
describe('fake ACS: text-to-speech needs the AI services endpoint on the call', () => {
  let fake: FakeAcsServer;
  let receiver: http.Server;
  let received: unknown[];
  let callbackUrl: string;

  beforeEach(async () => {
    fake = await FakeAcsServer.start();
    received = [];
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push(...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown[]));
        res.statusCode = 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/calls`;
  });
  afterEach(async () => {
    await fake.close();
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  const text: TextSource = { kind: 'textSource', text: 'Type the code.', voiceName: 'en-US-JennyNeural' };
  const file: FileSource = { kind: 'fileSource', url: 'https://contoso.example/prompt.wav' };

  async function call(endpoint?: string) {
    const client = new CallAutomationClient(fake.connectionString, { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });
    const { callConnectionProperties } = await client.createCall(
      { targetParticipant: { phoneNumber: '+819012345678' }, sourceCallIdNumber: { phoneNumber: '+18005550101' } },
      callbackUrl,
      endpoint ? { callIntelligenceOptions: { cognitiveServicesEndpoint: endpoint } } : {},
    );
    return client.getCallConnection(callConnectionProperties.callConnectionId!).getCallMedia();
  }

  it('accepts a text prompt on a call without it, then posts PlayFailed 405/8522 as ACS does', async () => {
    const media = await call();
    await media.playToAll([text], { operationContext: 'closing' });
    expect(fake.requests.filter((r) => r.path.includes(':play')).map((r) => r.status)).toEqual([202]);
    await fake.idle();
    expect(received).toEqual([
      expect.objectContaining({
        type: 'Microsoft.Communication.PlayFailed',
        data: expect.objectContaining({
          operationContext: 'closing',
          resultInformation: { code: 405, subCode: 8522, message: 'Request not allowed when Cognitive Service Configuration not set during call setup.' },
        }),
      }),
    ]);
  });

  it('speaks on a call created with the endpoint', async () => {
    const media = await call('https://contoso-ai.cognitiveservices.azure.com/');
    await media.playToAll([text]);
    await fake.idle();
    expect(received).toEqual([]);
  });

  it('plays a recorded file without any AI resource', async () => {
    const media = await call();
    await media.playToAll([file]);
    await fake.idle();
    expect(received).toEqual([]);
  });
});
