import type { PhoneType } from '../phone/phone-types';
import {
  DirectoryError,
  type AuthMethodSummary,
  type DirectoryWriteResult,
  type NewPhoneMethod,
  type PhoneDirectory,
  type PhoneMethod,
} from './phone-directory';
import { findRuleViolation, GRAPH_PHONE_NUMBER_PATTERN, PHONE_METHOD_IDS, type PhoneRuleViolation } from './graph-phone-rules';
import type { StateStorage } from '../storage/state-storage';
import { readItem, updateItem } from '../verification/storage-update';

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

/** One demo user's phone methods as kept in shared storage. */
interface StoredDemoPhones {
  readonly methods: readonly PhoneMethod[];
}

/** Where shared storage keeps one demo user's phone methods. */
function demoPhonesKey(userId: string): string {
  return `demo-directory/${userId}`;
}

/**
 * Directory for the demo: nothing reaches Entra ID, but Entra's rules still apply. The phones are
 * kept in this process's memory, or, given shared storage, in it (one item per user, changed by an
 * eTag-guarded read-modify-write), so several demo instances behind one load balancer act as one
 * tenant: a phone registered through one instance is listed by the others. A user with nothing
 * stored yet has the seed's phones.
 */
export class DemoPhoneDirectory implements PhoneDirectory {
  /** The seed's phones, and in memory every later change too. */
  private readonly users = new Map<string, Map<PhoneType, PhoneMethod>>();
  private readonly otherMethods: DemoOtherMethodsSeed;
  private readonly defaultMethodIds: DemoDefaultMethodSeed;
  /** Groups the demo was told the members of; every other group has everyone in it. */
  private readonly groupMembers = new Map<string, ReadonlySet<string>>();

  constructor(
    seed: DemoDirectorySeed = {},
    otherMethods: DemoOtherMethodsSeed = {},
    defaultMethodIds: DemoDefaultMethodSeed = {},
    private readonly shared?: StateStorage,
  ) {
    this.otherMethods = otherMethods;
    this.defaultMethodIds = defaultMethodIds;
    for (const [userId, methods] of Object.entries(seed)) {
      const phones = new Map<PhoneType, PhoneMethod>();
      for (const method of methods) phones.set(method.phoneType, created(phones, method));
      this.users.set(userId, phones);
    }
  }

  async listPhoneMethods(userId: string): Promise<PhoneMethod[]> {
    // Copies, so a caller cannot change what the directory holds.
    return (await this.phonesOf(userId)).map((m) => ({ ...m }));
  }

  async addPhoneMethod(userId: string, method: NewPhoneMethod): Promise<PhoneMethod> {
    let added: PhoneMethod | undefined;
    await this.change(userId, (phones) => {
      added = created(phones, method);
      phones.set(method.phoneType, added);
    });
    return { ...added! };
  }

  async listAuthenticationMethods(userId: string): Promise<AuthMethodSummary[]> {
    const phones = (await this.phonesOf(userId)).map((m) => ({ id: m.id, kind: 'phoneAuthenticationMethod' }));
    // As Graph beta lists them: hardware tokens among the others.
    const others = (this.otherMethods[userId] ?? []).map((m) => ({ ...m }));
    return [{ ...PASSWORD_METHOD }, ...phones, ...others];
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
    await this.change(userId, (phones) => {
      const method = found(phones, methodId);
      if (!GRAPH_PHONE_NUMBER_PATTERN.test(phoneNumber)) {
        throw new DirectoryError('invalid_phone_format', VIOLATION_MESSAGES.invalid_phone_format, { status: 400 });
      }
      phones.set(method.phoneType, { ...method, phoneNumber });
    });
    return {};
  }

  async deletePhoneMethod(userId: string, methodId: string): Promise<DirectoryWriteResult> {
    await this.change(userId, (phones) => {
      const method = found(phones, methodId);
      // Same order as Entra: the default-method rule is checked before the mobile/alternate rule.
      if (this.defaultMethodIds[userId] === methodId) {
        throw new DirectoryError('default_method', "The phone method is the user's default authentication method", { status: 400 });
      }
      if (method.phoneType === 'mobile' && phones.has('alternateMobile')) {
        throw new DirectoryError('mobile_required_by_alternate', 'The mobile phone cannot be removed while an alternate phone exists', {
          status: 400,
        });
      }
      phones.delete(method.phoneType);
    });
    return {};
  }

  private async phonesOf(userId: string): Promise<PhoneMethod[]> {
    if (this.shared) {
      const { value } = await readItem<StoredDemoPhones>(this.shared, demoPhonesKey(userId));
      if (value) return [...value.methods];
    }
    return [...(this.users.get(userId)?.values() ?? [])];
  }

  /**
   * Applies `edit` to a copy of the user's phones and keeps the result; an edit that throws (an Entra
   * rule) changes nothing. With shared storage the edit may run again on a newer copy.
   */
  private async change(userId: string, edit: (phones: Map<PhoneType, PhoneMethod>) => void): Promise<void> {
    const seeded = [...(this.users.get(userId)?.values() ?? [])];
    const edited = (methods: readonly PhoneMethod[]): Map<PhoneType, PhoneMethod> => {
      const phones = new Map(methods.map((m) => [m.phoneType, m] as const));
      edit(phones);
      return phones;
    };
    if (!this.shared) {
      this.users.set(userId, edited(seeded));
      return;
    }
    await updateItem<StoredDemoPhones>(this.shared, demoPhonesKey(userId), (stored) => ({
      methods: [...edited(stored?.methods ?? seeded).values()],
    }));
  }
}

/** The method a user's phone `id` names, or Graph's 404. */
function found(phones: ReadonlyMap<PhoneType, PhoneMethod>, methodId: string): PhoneMethod {
  const method = [...phones.values()].find((m) => m.id === methodId);
  if (!method) throw new DirectoryError('method_not_found', 'No phone method with this id', { status: 404 });
  return method;
}

/** The method Entra would create next to `phones`, or the Entra rule it breaks. */
function created(phones: ReadonlyMap<PhoneType, PhoneMethod>, method: NewPhoneMethod): PhoneMethod {
  const violation = findRuleViolation([...phones.values()], method);
  if (violation) {
    throw new DirectoryError(violation, VIOLATION_MESSAGES[violation], { status: 400 });
  }
  return { id: PHONE_METHOD_IDS[method.phoneType], phoneType: method.phoneType, phoneNumber: method.phoneNumber };
}
