import type { PhoneType } from '../phone/phone-types';
import { DirectoryError, type NewPhoneMethod, type PhoneDirectory, type PhoneMethod } from './phone-directory';
import { findRuleViolation, PHONE_METHOD_IDS, type PhoneRuleViolation } from './graph-phone-rules';

/** Phone methods to start a demo user with, keyed by user id. */
export type DemoDirectorySeed = Readonly<Record<string, readonly NewPhoneMethod[]>>;

const VIOLATION_MESSAGES: Readonly<Record<PhoneRuleViolation, string>> = {
  type_already_registered: 'A phone method of this type is already registered',
  alternate_requires_mobile: 'An alternate phone needs a mobile phone first',
  invalid_phone_format: 'The phone number is not in Graph format',
};

/** In-memory directory for the demo: nothing reaches Entra ID, but Entra's rules still apply. */
export class DemoPhoneDirectory implements PhoneDirectory {
  private readonly users = new Map<string, Map<PhoneType, PhoneMethod>>();

  constructor(seed: DemoDirectorySeed = {}) {
    for (const [userId, methods] of Object.entries(seed)) {
      for (const method of methods) this.addSync(userId, method);
    }
  }

  async listPhoneMethods(userId: string): Promise<PhoneMethod[]> {
    // Copies, so a caller cannot change what the directory holds.
    return [...(this.users.get(userId)?.values() ?? [])].map((m) => ({ ...m }));
  }

  async addPhoneMethod(userId: string, method: NewPhoneMethod): Promise<PhoneMethod> {
    return { ...this.addSync(userId, method) };
  }

  private addSync(userId: string, method: NewPhoneMethod): PhoneMethod {
    const methods = this.users.get(userId) ?? new Map<PhoneType, PhoneMethod>();
    const violation = findRuleViolation([...methods.values()], method);
    if (violation) {
      throw new DirectoryError(violation, VIOLATION_MESSAGES[violation], { status: 400 });
    }
    const created: PhoneMethod = {
      id: PHONE_METHOD_IDS[method.phoneType],
      phoneType: method.phoneType,
      phoneNumber: method.phoneNumber,
    };
    methods.set(method.phoneType, created);
    this.users.set(userId, methods);
    return created;
  }
}
