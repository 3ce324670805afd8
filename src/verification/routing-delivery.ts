import type { CallRequest, DeliveryResult, PhoneDelivery, SmsRequest } from './phone-delivery';

/** One PhoneDelivery from separate SMS and voice providers. */
export class RoutingDelivery implements PhoneDelivery {
  constructor(
    private readonly sms: Pick<PhoneDelivery, 'sendSms'>,
    private readonly voice: Pick<PhoneDelivery, 'startCall'>,
  ) {}

  sendSms(request: SmsRequest): Promise<DeliveryResult> {
    return this.sms.sendSms(request);
  }

  startCall(request: CallRequest): Promise<DeliveryResult> {
    return this.voice.startCall(request);
  }
}
