import type { CampaignGraph } from './campaign-graph';
import { okBody } from './campaign-graph';

/** What a campaign asks people to have: a phone method, or any MFA method at all. */
export type CampaignNeed = 'phone' | 'any-mfa';

/** One person a campaign may reach. */
export interface CampaignPerson {
  readonly userId: string;
  readonly displayName: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The group's id: a GUID as given, else the one group with that display name
 * (https://learn.microsoft.com/graph/api/group-list, `$filter=displayName eq '…'`).
 */
export async function resolveGroupId(graph: CampaignGraph, group: string): Promise<string> {
  if (GUID.test(group)) return group;
  const filter = encodeURIComponent(`displayName eq '${group.replace(/'/g, "''")}'`);
  const found = await graph.listAll(`/groups?$filter=${filter}&$select=id,displayName`);
  const ids = found.map((g) => (g as { id?: unknown }).id).filter((id): id is string => typeof id === 'string');
  if (ids.length === 0) throw new Error(`No group is named "${group}": give its Object ID instead`);
  if (ids.length > 1) throw new Error(`${ids.length} groups are named "${group}": give the Object ID of the one you mean`);
  return ids[0]!;
}

/**
 * Every user in the group, nested groups included, each once
 * (https://learn.microsoft.com/graph/api/group-list-transitivemembers, cast to microsoft.graph.user, paged).
 */
export async function groupUsers(graph: CampaignGraph, groupId: string): Promise<CampaignPerson[]> {
  const items = await graph.listAll(`/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user?$select=id,displayName&$top=999`);
  const seen = new Map<string, CampaignPerson>();
  for (const item of items) {
    const { id, displayName } = item as { id?: unknown; displayName?: unknown };
    if (typeof id === 'string' && !seen.has(id)) seen.set(id, { userId: id, displayName: typeof displayName === 'string' ? displayName : '' });
  }
  return [...seen.values()];
}

/** The user ids of a CSV: the first column of each line that holds a GUID (a header line is skipped). */
export function csvUsers(text: string): CampaignPerson[] {
  const seen = new Map<string, CampaignPerson>();
  for (const line of text.split(/\r?\n/)) {
    const [first = '', second = ''] = line.split(',').map((cell) => cell.trim().replace(/^"|"$/g, ''));
    if (GUID.test(first) && !seen.has(first.toLowerCase())) seen.set(first.toLowerCase(), { userId: first.toLowerCase(), displayName: second });
  }
  return [...seen.values()];
}

const PHONE_KIND = '#microsoft.graph.phoneAuthenticationMethod';
/** Methods that do not count as a second factor: the password, and email (self-service reset only). */
const NOT_MFA = new Set(['#microsoft.graph.passwordAuthenticationMethod', '#microsoft.graph.emailAuthenticationMethod']);

/**
 * True when the person still lacks what the campaign asks for
 * (https://learn.microsoft.com/graph/api/authentication-list-methods).
 */
export async function stillNeeds(graph: CampaignGraph, userId: string, need: CampaignNeed): Promise<boolean> {
  const path = `/users/${encodeURIComponent(userId)}/authentication/methods`;
  const body = okBody(await graph.send({ method: 'GET', path }), path);
  const kinds = (Array.isArray(body['value']) ? (body['value'] as unknown[]) : []).map((m) => {
    const kind = (m as Record<string, unknown>)['@odata.type'];
    return typeof kind === 'string' ? kind : '';
  });
  if (need === 'phone') return !kinds.includes(PHONE_KIND);
  return !kinds.some((kind) => !NOT_MFA.has(kind));
}

/** The person's Entra preferred language reduced to a bot locale (en or ja), else the fallback. */
export async function preferredLocale(graph: CampaignGraph, userId: string, fallback: 'en' | 'ja'): Promise<'en' | 'ja'> {
  const path = `/users/${encodeURIComponent(userId)}?$select=preferredLanguage`;
  const outcome = await graph.send({ method: 'GET', path });
  if (outcome.kind !== 'response' || outcome.status !== 200) return fallback;
  const language = (outcome.body as { preferredLanguage?: unknown } | undefined)?.preferredLanguage;
  if (typeof language !== 'string' || language === '') return fallback;
  return language.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}
