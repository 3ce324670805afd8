import { FakeDelivery } from '../../fakes/fake-delivery';
import { FakeTwilioServer } from '../../fakes/fake-twilio-server';
import { memoryLogger } from '../acs/log-sink';
import { parseDeliveryRoutes, routeTableSmsCoverage, type DeliveryRouteTable } from '../../../src/verification/delivery-routes';
import { TEXTS_EVERY_COUNTRY } from '../../../src/verification/sms-coverage';
import { acsRefusedBeforeSending, ProviderRoutingDelivery } from '../../../src/verification/provider-routing-delivery';
import { createTwilioClient } from '../../../src/verification/twilio/twilio-connection';
import { TwilioSmsDelivery } from '../../../src/verification/twilio/twilio-sms-delivery';
import { acsSmsCoverage } from '../../../src/verification/acs/acs-sms-coverage';

const ACCOUNT_SID = `AC${'1'.repeat(32)}`;
const AUTH_TOKEN = 'auth-token-not-real-7c1d9e';
const JP = '+819012345678';
const US = '+14155550123';

function routes(value: string): DeliveryRouteTable {
  const parsed = parseDeliveryRoutes(value);
  if ('problems' in parsed) throw new Error(parsed.problems.join('; '));
  return parsed.table;
}

/** Twilio is real (its SMS delivery against the local fake); ACS is a recording fake behind the same port. */
describe('ProviderRoutingDelivery', () => {
  let twilio: FakeTwilioServer;
  let acs: FakeDelivery;
  let lines: string[];

  beforeEach(async () => {
    twilio = await FakeTwilioServer.start({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    acs = new FakeDelivery();
  });
  afterEach(async () => {
    await twilio.close();
  });

  function routing(table: string): ProviderRoutingDelivery {
    const memory = memoryLogger();
    lines = memory.lines;
    const client = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: twilio.url });
    const twilioSms = new TwilioSmsDelivery({ client, from: '+15005550006', logger: memory.logger });
    return new ProviderRoutingDelivery({
      routes: routes(table),
      providers: {
        acs: { delivery: acs, smsCoverage: acsSmsCoverage([]), refusedBeforeSending: acsRefusedBeforeSending },
        twilio: { delivery: { sendSms: (r) => twilioSms.sendSms(r), startCall: async () => ({ ok: false, reason: 'unavailable' }) } },
      },
      logger: memory.logger,
    });
  }

  it('texts each country through the provider its route names', async () => {
    const delivery = routing('JP:sms=twilio,JP:voice=acs,*=acs');
    expect((await delivery.sendSms({ to: JP, text: 'jp' })).ok).toBe(true);
    expect((await delivery.sendSms({ to: US, text: 'us' })).ok).toBe(true);
    expect(twilio.requestsTo('Messages').map((r) => r.form.Body)).toEqual([['jp']]);
    expect(acs.sms.map((s) => s.text)).toEqual(['us']);
    expect(lines.join('\n')).toMatch(/"provider":"twilio"/);
    expect(lines.join('\n')).not.toContain('9012345678');
  });

  it('offers texts only where the SMS route reaches: ACS without Messaging Connect cannot text Japan', () => {
    const coverage = (table: string, messagingConnect: string[] = []) =>
      routeTableSmsCoverage(routes(table), { acs: acsSmsCoverage(messagingConnect), twilio: TEXTS_EVERY_COUNTRY });
    expect(coverage('*=acs').canText('JP')).toBe(false);
    expect(coverage('*=acs', ['JP']).canText('JP')).toBe(true);
    expect(coverage('JP:sms=twilio,*=acs').canText('JP')).toBe(true);
    expect(coverage('JP:sms=twilio,*=acs').canText('US')).toBe(true);
    expect(routeTableSmsCoverage(routes('JP:sms=twilio,*=acs'), { acs: TEXTS_EVERY_COUNTRY }).canText('JP')).toBe(false);
  });

  it('fails over to ACS when Twilio refused before sending (21408 region not enabled)', async () => {
    twilio.geoBlocked.add('+1');
    const delivery = routing('*:sms=twilio,*=acs');
    expect(await delivery.sendSms({ to: US, text: 'code' })).toEqual({ ok: true });
    expect(twilio.requestsTo('Messages')).toHaveLength(1);
    expect(acs.sms).toHaveLength(1);
  });

  it('fails over to Twilio when ACS refused before sending', async () => {
    acs.smsResult = { ok: false, reason: 'unavailable' };
    const delivery = routing('*=acs');
    expect((await delivery.sendSms({ to: US, text: 'code' })).ok).toBe(true);
    expect(twilio.requestsTo('Messages')).toHaveLength(1);
  });

  it('never fails over to a provider that cannot reach the country', async () => {
    twilio.geoBlocked.add('+81');
    const delivery = routing('*=twilio');
    expect(await delivery.sendSms({ to: JP, text: 'code' })).toEqual({ ok: false, reason: 'unavailable', nothingSent: true });
    expect(acs.sms).toHaveLength(0);
  });

  it('never fails over after an ambiguous failure: the first text may be on its way', async () => {
    twilio.dropAfterReceipt = 1;
    const delivery = routing('*:sms=twilio,*=acs');
    expect(await delivery.sendSms({ to: US, text: 'code' })).toEqual({ ok: false, reason: 'failed' });
    acs.smsResult = { ok: false, reason: 'failed' };
    expect(await routing('*=acs').sendSms({ to: US, text: 'code' })).toEqual({ ok: false, reason: 'failed' });
    expect(twilio.requestsTo('Messages')).toHaveLength(1);
    expect(acs.sms).toHaveLength(1);
  });

  it('respects an opt-out: an unsubscribed recipient is not texted by the other provider', async () => {
    twilio.unsubscribed.add(US);
    expect(await routing('*:sms=twilio,*=acs').sendSms({ to: US, text: 'code' })).toEqual({ ok: false, reason: 'rejected' });
    expect(acs.sms).toHaveLength(0);
  });
});
