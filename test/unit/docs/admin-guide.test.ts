import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GRAPH_PERMISSION_NEEDS } from '../../../tools/doctor/graph-permissions-check';

const ROOT = join(__dirname, '..', '..', '..');
const admin = readFileSync(join(ROOT, 'docs', 'admin.md'), 'utf8');
const storage = readFileSync(join(ROOT, 'docs', 'storage.md'), 'utf8');
const envExample = readFileSync(join(ROOT, '.env.example'), 'utf8');

/** The rows of the one table whose header starts with "| Permission | Graph call |". */
function permissionRows(): string[] {
  const start = admin.indexOf('| Permission | Graph call | Why the bot needs it |');
  expect(start).toBeGreaterThan(0);
  const rows: string[] = [];
  for (const line of admin.slice(start).split('\n').slice(2)) {
    if (!line.startsWith('|')) break;
    rows.push(line);
  }
  return rows;
}

describe('docs/admin.md', () => {
  it('has one permission table naming exactly the permissions the doctor asks for', () => {
    const rows = permissionRows();
    expect(rows).toHaveLength(GRAPH_PERMISSION_NEEDS.length);
    GRAPH_PERMISSION_NEEDS.forEach((need, index) => {
      const row = rows[index] ?? '';
      const firstCell = row.split('|')[1] ?? '';
      // Permission names have dots; `ALLOWED_GROUP_ID` in the same cell does not.
      expect(firstCell.match(/`[\w-]+\.[\w.]+`/g)?.map((m) => m.slice(1, -1))).toEqual(need.leastPrivileged);
      expect(row).toContain(need.reference);
      if (need.use === 'allowed_group') expect(firstCell).toContain('only when `ALLOWED_GROUP_ID` is set');
    });
    expect(admin.match(/\| Permission \| Graph call \|/g)).toHaveLength(1);
  });

  it('leads with the Grant admin consent button and says why the /adminconsent URL fails', () => {
    expect(admin).toContain('**Grant admin consent for');
    expect(admin).toContain('AADSTS500113');
    expect(admin).not.toMatch(/open the admin-consent URL/i);
  });

  it('documents the app-role assignment for a managed identity, and both guides agree on AZURE_CLIENT_ID', () => {
    expect(admin).toContain('/servicePrincipals/{identity object id}/appRoleAssignments');
    expect(admin).toContain('New-MgServicePrincipalAppRoleAssignment');
    for (const part of ['Bot Framework', 'Microsoft Graph', 'Blob Storage', 'Azure Communication Services']) expect(admin).toContain(`| ${part}`);
    expect(envExample).toMatch(/^AZURE_CLIENT_ID=$/m);
    expect(envExample).toContain('DefaultAzureCredential');
    expect(admin).toContain("set `AZURE_CLIENT_ID` to the identity's Client ID");
  });
});

describe('the blob lifecycle rule', () => {
  it('keeps state as long in both guides, at least as long as the longest account block (30 days)', () => {
    const days = (text: string) => [...text.matchAll(/"daysAfterModificationGreaterThan": (\d+)/g)].map((m) => Number(m[1]));
    const all = [...days(admin), ...days(storage)];
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(new Set(all).size).toBe(1);
    // ACCOUNT_GUARD_BLOCK_MINUTES allows up to 43200 minutes (30 days).
    expect(all[0]).toBeGreaterThanOrEqual(30);
  });
});
