import type { Activity } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import jwt from 'jsonwebtoken';
import { metadataUrlsOf, SigningKeyGate } from '../../../src/server/signing-key-gate';
import { FakeIdentityProvider } from '../../fakes/fake-identity-provider';
import { ManualClock } from '../../fakes/manual-clock';
import { ManualScheduler } from '../../fakes/manual-scheduler';

describe('metadataUrlsOf: the URLs botbuilder fetches keys from, for the same settings', () => {
  it.each<[string, Record<string, string>, { channel?: string; emulator?: string }]>([
    [
      'no endpoints: public cloud',
      { MicrosoftAppId: 'a' },
      {
        channel: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
        emulator: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
      },
    ],
    [
      'US government ChannelService',
      { MicrosoftAppId: 'a', ChannelService: 'https://botframework.azure.us' },
      {
        channel: 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration',
        emulator: 'https://login.microsoftonline.us/cab8a31a-1906-4287-a0d8-4eef66b95f6e/v2.0/.well-known/openid-configuration',
      },
    ],
    [
      'explicit endpoints',
      { ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1:1/c', ToBotFromEmulatorOpenIdMetadataUrl: 'http://127.0.0.1:1/e', CallerId: 'x' },
      {
        channel: 'http://127.0.0.1:1/c',
        emulator: 'http://127.0.0.1:1/e',
      },
    ],
    ['the BotOpenIdMetadata alias', { BotOpenIdMetadata: 'http://127.0.0.1:1/alias' }, { channel: 'http://127.0.0.1:1/alias', emulator: undefined }],
    [
      'any explicit endpoint makes the rest explicit too (unset stays unset)',
      { OAuthUrl: 'https://api.botframework.com' },
      { channel: undefined, emulator: undefined },
    ],
  ])('%s', (_name, settings, expected) => {
    expect(metadataUrlsOf(settings)).toEqual(expected);
  });
});

describe('SigningKeyGate routing: each kind of token waits for the keys botbuilder would use for it', () => {
  let channel: FakeIdentityProvider;
  let emulator: FakeIdentityProvider;
  let gate: SigningKeyGate;
  const activity = { channelId: 'msteams', serviceUrl: 'https://smba.example/' } as Activity;

  beforeEach(async () => {
    channel = await FakeIdentityProvider.start();
    emulator = await FakeIdentityProvider.start();
    gate = new SigningKeyGate(
      { channel: channel.metadataUrl, emulator: emulator.metadataUrl },
      { clock: new ManualClock(Date.now()), scheduler: new ManualScheduler() },
    );
  });
  afterEach(async () => {
    await channel.close();
    await emulator.close();
  });

  it('a channel token is checked against the channel keys and then handed to botbuilder', async () => {
    const token = channel.mintToken('app', { serviceUrl: activity.serviceUrl });
    await expect(gate.admit(activity, `Bearer ${token}`, async () => 'validated')).resolves.toBe('validated');
    expect(channel.requests).toHaveLength(2);
    expect(emulator.requests).toHaveLength(0);
  });

  it('an Entra ID (emulator-style) token goes to the emulator metadata, and a key from the other host does not count', async () => {
    const sign = (idp: FakeIdentityProvider): string =>
      jwt.sign({ appid: 'app', ver: '1.0' }, idp.key.privateKey, {
        algorithm: 'RS256',
        keyid: idp.key.kid,
        issuer: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/',
        audience: 'app',
        expiresIn: 600,
      });
    let validated = 0;
    const validate = async (): Promise<string> => {
      validated += 1;
      return 'validated';
    };
    await expect(gate.admit(activity, `Bearer ${sign(emulator)}`, validate)).resolves.toBe('validated');
    await expect(gate.admit(activity, `Bearer ${sign(channel)}`, validate)).rejects.toBeInstanceOf(AuthenticationError);
    expect(validated).toBe(1);
    expect(channel.requests).toHaveLength(0);
  });

  it('headers that are not a bearer token go straight to botbuilder, which refuses them without keys', async () => {
    const seen: string[] = [];
    for (const header of ['', 'Basic dXNlcjpwYXNz', 'Bearer x Bearer y']) {
      await gate.admit(activity, header, async () => {
        seen.push(header);
        return 'botbuilder';
      });
    }
    expect(seen).toHaveLength(3);
    await expect(gate.admit(activity, 'Bearer garbage', async () => 'never')).rejects.toMatchObject({ statusCode: 401 });
    expect(channel.requests).toHaveLength(0);
  });
});
