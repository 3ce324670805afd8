import type { PhoneType } from '../phone/phone-types';
import {
  DirectoryError,
  HARDWARE_OATH_METHOD_KIND,
  type AuthMethodSummary,
  type DirectoryWriteResult,
  type NewPhoneMethod,
  type PhoneDirectory,
  type PhoneMethod,
} from './phone-directory';
import { findRuleViolation, GRAPH_PHONE_NUMBER_PATTERN, PHONE_METHOD_IDS, type PhoneRuleViolation } from './graph-phone-rules';

/** Phone methods to start a demo user with, keyed by user id. */
export type DemoDirectorySeed = Readonly<Record<string, readonly NewPhoneMethod[]>>;

/** Non-phone authentication methods (authenticator app, FIDO2…) to list for a demo user, keyed by user id. */
export type DemoOtherMethodsSeed = Readonly<Record<string, readonly AuthMethodSummary[]>>;

/** The id of each demo user's default MFA method, keyed by user id: that method cannot be deleted. */
export type DemoDefaultMethodSeed = Readonly<Record<string, string>>;

/** Graph lists every user's password as a method, always with this id. */
const PASSWORD_METHOD: AuthMethodSummary = { id: '28c10230-6103-485e-b985-444c60001490', kind: 'passwordAuthenticationMethod' };

const VIOLATION_MESSAGES: Readonly<Record<PhoneRuleViolation, string>> = {
  type_already_registered: 'A phone method of this type is already registered',
  alternate_requires_mobile: 'An alternate phone needs a mobile phone first',
  invalid_phone_format: 'The phone number is not in Graph format',
};

/** In-memory directory for the demo: nothing reaches Entra ID, but Entra's rules still apply. */
export class DemoPhoneDirectory implements PhoneDirectory {
  private readonly users = new Map<string, Map<PhoneType, PhoneMethod>>();
  private readonly otherMethods: DemoOtherMethodsSeed;
  private readonly defaultMethodIds: DemoDefaultMethodSeed;
  /** Groups the demo was told the members of; every other group has everyone in it. */
  private readonly groupMembers = new Map<string, ReadonlySet<string>>();

  constructor(seed: DemoDirectorySeed = {}, otherMethods: DemoOtherMethodsSeed = {}, defaultMethodIds: DemoDefaultMethodSeed = {}) {
    this.otherMethods = otherMethods;
    this.defaultMethodIds = defaultMethodIds;
    for (const [userId, methods] of Object.entries(seed)) {
      for (const method of methods) this.addSync(userId, method);
    }
  }

  async listPhoneMethods(userId: string): Promise<PhoneMethod[]> {
    // Copies, so a caller cannot change what the directory holds.
    return this.phonesOf(userId).map((m) => ({ ...m }));
  }

  async addPhoneMethod(userId: string, method: NewPhoneMethod): Promise<PhoneMethod> {
    return { ...this.addSync(userId, method) };
  }

  async listAuthenticationMethods(userId: string): Promise<AuthMethodSummary[]> {
    const phones = this.phonesOf(userId).map((m) => ({ id: m.id, kind: 'phoneAuthenticationMethod' }));
    // As Graph v1.0: hardware tokens are left out of this list.
    const others = (this.otherMethods[userId] ?? []).filter((m) => m.kind !== HARDWARE_OATH_METHOD_KIND).map((m) => ({ ...m }));
    return [{ ...PASSWORD_METHOD }, ...phones, ...others];
  }

  async listHardwareOathMethods(userId: string): Promise<AuthMethodSummary[]> {
    return (this.otherMethods[userId] ?? []).filter((m) => m.kind === HARDWARE_OATH_METHOD_KIND).map((m) => ({ ...m }));
  }

  async isGroupMember(userId: string, groupId: string): Promise<boolean> {
    const members = this.groupMembers.get(groupId.toLowerCase());
    return members === undefined || members.has(userId);
  }

  /** Makes exactly these users members of the group (by default everyone is a member of every group). */
  setGroupMembers(groupId: string, userIds: readonly string[]): void {
    this.groupMembers.set(groupId.toLowerCase(), new Set(userIds));
  }

  async updatePhoneMethod(userId: string, methodId: string, phoneNumber: string): Promise<DirectoryWriteResult> {
    const method = this.findSync(userId, methodId);
    if (!GRAPH_PHONE_NUMBER_PATTERN.test(phoneNumber)) {
      throw new DirectoryError('invalid_phone_format', VIOLATION_MESSAGES.invalid_phone_format, { status: 400 });
    }
    this.users.get(userId)?.set(method.phoneType, { ...method, phoneNumber });
    return {};
  }

  async deletePhoneMethod(userId: string, methodId: string): Promise<DirectoryWriteResult> {
    const method = this.findSync(userId, methodId);
    const methods = this.users.get(userId);
    // Same order as Entra: the default-method rule is checked before the mobile/alternate rule.
    if (this.defaultMethodIds[userId] === methodId) {
      throw new DirectoryError('default_method', "The phone method is the user's default authentication method", { status: 400 });
    }
    if (method.phoneType === 'mobile' && methods?.has('alternateMobile')) {
      throw new DirectoryError('mobile_required_by_alternate', 'The mobile phone cannot be removed while an alternate phone exists', {
        status: 400,
      });
    }
    methods?.delete(method.phoneType);
    return {};
  }

  private phonesOf(userId: string): PhoneMethod[] {
    return [...(this.users.get(userId)?.values() ?? [])];
  }

  private findSync(userId: string, methodId: string): PhoneMethod {
    const method = this.phonesOf(userId).find((m) => m.id === methodId);
    if (!method) throw new DirectoryError('method_not_found', 'No phone method with this id', { status: 404 });
    return method;
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
