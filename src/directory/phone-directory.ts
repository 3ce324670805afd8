import type { PhoneType } from '../phone/phone-types';

/** A phone method as registered in Entra ID. */
export interface PhoneMethod {
  readonly id: string;
  readonly phoneType: PhoneType;
  /** Graph format, e.g. `+81 9012345678`. Never log it: mask it first. */
  readonly phoneNumber: string;
}

export interface NewPhoneMethod {
  readonly phoneType: PhoneType;
  readonly phoneNumber: string;
}

/** A created method, with Graph's request id for the audit record when there is one. */
export interface AddedPhoneMethod extends PhoneMethod {
  readonly requestId?: string;
}

/** One of the user's authentication methods of any kind (GET /beta/users/{id}/authentication/methods). */
export interface AuthMethodSummary {
  readonly id: string;
  /** Graph's `@odata.type` without the `#microsoft.graph.` prefix, e.g. `phoneAuthenticationMethod`. */
  readonly kind: string;
}

/**
 * The kind given to a listed method the bot could not read (no id, no `@odata.type`). It is kept,
 * not skipped: the registration gate counts it as an MFA method it cannot check (fail closed).
 */
export const UNREADABLE_METHOD_KIND = 'unreadable';

/** Result of a change or removal, with Graph's request id for the audit record. */
export interface DirectoryWriteResult {
  readonly requestId?: string;
}

/** What the bot may read and write of a user's phone methods. Implementations: Graph and demo. */
export interface PhoneDirectory {
  listPhoneMethods(userId: string): Promise<PhoneMethod[]>;
  addPhoneMethod(userId: string, method: NewPhoneMethod): Promise<AddedPhoneMethod>;
  /** Every authentication method, hardware OATH tokens and the password included, as Graph beta lists them. */
  listAuthenticationMethods(userId: string): Promise<AuthMethodSummary[]>;
  /** Changes the number of a registered phone method (the type cannot change). */
  updatePhoneMethod(userId: string, methodId: string, phoneNumber: string): Promise<DirectoryWriteResult>;
  /** Removes a phone method. */
  deletePhoneMethod(userId: string, methodId: string): Promise<DirectoryWriteResult>;
  /** Whether the user is a member of the group, directly or through nested groups. */
  isGroupMember(userId: string, groupId: string): Promise<boolean>;
}

/** Stable codes for directory failures; each maps to a user text in every catalog. */
export type DirectoryErrorCode =
  | 'type_already_registered'
  | 'alternate_requires_mobile'
  | 'mobile_required_by_alternate'
  | 'default_method'
  | 'method_not_found'
  | 'invalid_phone_format'
  | 'permission_denied'
  | 'user_not_found'
  | 'conflict'
  | 'graph_throttled'
  | 'graph_unavailable'
  | 'graph_timeout'
  | 'graph_error';

/** A failure talking to the directory, with what support needs and nothing a user must not see. */
export class DirectoryError extends Error {
  override readonly name = 'DirectoryError';
  constructor(
    readonly code: DirectoryErrorCode,
    message: string,
    readonly details: { readonly status?: number; readonly requestId?: string; readonly retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }
}
