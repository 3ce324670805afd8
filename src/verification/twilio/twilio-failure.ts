import type { DeliveryResult } from '../phone-delivery';

/**
 * Twilio error codes (https://www.twilio.com/docs/api/errors) that mean the request was refused
 * before anything went out and another provider could succeed: the account or its settings, not
 * the person's number.
 */
const ANOTHER_PROVIDER_MAY_SUCCEED: ReadonlySet<number> = new Set([
  20003, // Authentication failed
  20005, // Account not active
  20008, // Resource not accessible with Test Account Credentials
  21212, // Invalid "From" number
  21606, // The "From" phone number is not a valid, SMS-capable number for this account
  21608, // Trial accounts may only send to verified numbers
  21408, // Permission to send an SMS has not been enabled for the region (geo permissions)
  21215, // Geo permission configuration is not permitting call
  21216, // Account not allowed to call this number
  21210, // Caller phone number not verified
  21612, // The 'To' number is not currently reachable via SMS from this sender
  21703, // Messaging Service has no phone numbers in its sender pool
]);

/** Refusals about the person's number itself: another provider would be refused too, or must not try (an opt-out). */
const REFUSED_FOR_THIS_NUMBER: ReadonlySet<number> = new Set([
  21211, // Invalid 'To' phone number
  21614, // 'To' number is not a valid mobile number
  21610, // Attempt to send to unsubscribed recipient (the person replied STOP)
  21217, // Phone number does not appear to be valid
]);

/** Network errors raised before the request reached Twilio: nothing can have been sent. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'CERT_HAS_EXPIRED']);

/** What a failed Twilio create means for the user, and whether another provider may try. */
export function twilioFailure(error: unknown): Extract<DeliveryResult, { ok: false }> {
  const status = numberField(error, 'status');
  const code = numberField(error, 'code');
  if (code !== undefined && ANOTHER_PROVIDER_MAY_SUCCEED.has(code)) return { ok: false, reason: 'unavailable', nothingSent: true };
  if (code !== undefined && REFUSED_FOR_THIS_NUMBER.has(code)) return { ok: false, reason: 'rejected' };
  if (status === 401 || status === 403) return { ok: false, reason: 'unavailable', nothingSent: true };
  // Other 4xx: Twilio validated the request and refused it; nothing went out, but the cause is unknown.
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) return { ok: false, reason: 'rejected' };
  if (status === undefined && NOT_CONNECTED.has(stringField(error, 'code') ?? '')) return { ok: false, reason: 'failed', nothingSent: true };
  // Timeouts, 5xx, 429 and anything unknown: the request may have gone out.
  return { ok: false, reason: 'failed' };
}

/** A short, secret-free description of a Twilio SDK failure for the log (its message may echo the number). */
export function describeTwilioError(error: unknown): { name: string; status?: number; code?: number | string } {
  const name = error instanceof Error ? error.name : typeof error;
  const status = numberField(error, 'status');
  const code = numberField(error, 'code') ?? stringField(error, 'code');
  return { name, ...(status !== undefined ? { status } : {}), ...(code !== undefined ? { code } : {}) };
}

function numberField(error: unknown, key: string): number | undefined {
  if (typeof error !== 'object' || error === null || !(key in error)) return undefined;
  const value: unknown = Reflect.get(error, key);
  return typeof value === 'number' ? value : undefined;
}

function stringField(error: unknown, key: string): string | undefined {
  if (typeof error !== 'object' || error === null || !(key in error)) return undefined;
  const value: unknown = Reflect.get(error, key);
  return typeof value === 'string' ? value : undefined;
}
