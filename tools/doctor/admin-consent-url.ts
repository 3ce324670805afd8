/**
 * How a tenant admin grants the app's Graph application permissions. The portal's "Grant admin consent"
 * button always works; the `/adminconsent?client_id=` URL fails with AADSTS500113 for an app without a
 * redirect URI (as the bot's app is registered), so it is not offered. A managed identity has no
 * app registration page: its permissions are app-role assignments on its service principal.
 */
export function adminConsentAdvice(options: { readonly appId: string; readonly managedIdentity?: boolean }): string {
  if (options.managedIdentity) {
    return (
      `assign it to the managed identity ${options.appId} as an app role of Microsoft Graph ` +
      '(POST /servicePrincipals/{identity object id}/appRoleAssignments, or New-MgServicePrincipalAppRoleAssignment; docs/admin.md §2a)'
    );
  }
  return `grant admin consent: Entra admin center > App registrations > the app ${options.appId} > API permissions > "Grant admin consent for <your organization>"`;
}
