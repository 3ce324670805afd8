import type { PhonePolicyReader, PhonePolicyState } from './phone-policy';

/** A fixed policy: everything allowed for the demo, or any state a test needs (taken as the whole truth unless it says otherwise). */
export class StaticPolicyReader implements PhonePolicyReader {
  private readonly state: PhonePolicyState;

  constructor(state: Partial<PhonePolicyState> = {}) {
    this.state = Object.freeze({
      smsEnabled: true,
      voiceEnabled: true,
      officePhoneAllowed: true,
      source: 'default',
      migrationState: 'migrationComplete',
      ...state,
    });
  }

  async read(): Promise<PhonePolicyState> {
    return this.state;
  }
}
