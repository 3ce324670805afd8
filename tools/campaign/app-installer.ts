import type { CampaignGraph } from './campaign-graph';

/** What installing the bot for one person came to. */
export type InstallOutcome = { readonly kind: 'installed' | 'already' } | { readonly kind: 'failed'; readonly reason: string };

/** One audit line per Graph write: the target and the result (the runner adds who ran it); never a token. */
export type InstallAudit = (entry: {
  readonly action: 'install_app';
  readonly userId: string;
  readonly result: InstallOutcome['kind'];
  readonly reason?: string;
}) => void;

/**
 * Installs the Teams app for a user so the bot may open a 1:1 chat
 * (https://learn.microsoft.com/graph/api/userteamwork-post-installedapps: 201 installed, 409 already
 * installed; least privileged application permission TeamsAppInstallation.ReadWriteSelfForUser.All).
 * Like every Graph write of the service, it is audited.
 */
export async function installForUser(graph: CampaignGraph, userId: string, catalogAppId: string, audit: InstallAudit): Promise<InstallOutcome> {
  const outcome = await graph.send({
    method: 'POST',
    path: `/users/${encodeURIComponent(userId)}/teamwork/installedApps`,
    body: { 'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${catalogAppId}` },
  });
  const result = installOutcome(outcome);
  audit({ action: 'install_app', userId, result: result.kind, ...(result.kind === 'failed' ? { reason: result.reason } : {}) });
  return result;
}

function installOutcome(outcome: Awaited<ReturnType<CampaignGraph['send']>>): InstallOutcome {
  if (outcome.kind !== 'response') return { kind: 'failed', reason: `install: no answer (${outcome.kind})` };
  if (outcome.status === 201 || outcome.status === 200) return { kind: 'installed' };
  if (outcome.status === 409) return { kind: 'already' };
  return { kind: 'failed', reason: `install: ${outcome.status}${outcome.graphCode ? ` ${outcome.graphCode}` : ''}` };
}
