import type { CallRequest, DeliveryResult, PhoneDelivery, SmsRequest } from '../../src/verification/phone-delivery';

/** Records what the bot would text or call; can be told to fail. The code is read back from the text. */
export class FakeDelivery implements PhoneDelivery {
  readonly sms: SmsRequest[] = [];
  readonly calls: CallRequest[] = [];
  smsResult: DeliveryResult = { ok: true };
  callResult: DeliveryResult = { ok: true };

  async sendSms(request: SmsRequest): Promise<DeliveryResult> {
    this.sms.push(request);
    return this.smsResult;
  }

  async startCall(request: CallRequest): Promise<DeliveryResult> {
    this.calls.push(request);
    return this.callResult;
  }

  /** The 6-digit code in the last text, as the user would read it. */
  lastSmsCode(): string {
    const last = this.sms[this.sms.length - 1];
    const match = last?.text.match(/(\d{3}) (\d{3})/);
    if (!match) throw new Error('no code in the last SMS');
    return match[1] + match[2];
  }
}
