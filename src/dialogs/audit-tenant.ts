import type { Activity } from 'botbuilder';

const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;

/**
 * The tenant id an audit record names: as sent when it has the form of an Entra tenant id, else
 * "(other)". Production refuses other tenants before any dialog runs, but demo mode does not check
 * the field, and a log must never hold whatever a client put there (a phone number, a token).
 */
export function auditTenantOf(activity: Pick<Activity, 'conversation'>): string | undefined {
  const tenantId: unknown = activity.conversation?.tenantId;
  if (tenantId === undefined || tenantId === null) return undefined;
  return typeof tenantId === 'string' && TENANT_ID.test(tenantId) ? tenantId : '(other)';
}
