import JSZip from 'jszip';

/**
 * Reads a built zip back and checks that it holds exactly the expected files at its root: Teams rejects
 * a package whose manifest sits in a folder, and stray files hide mistakes.
 */
export async function validateZipLayout(zipBytes: Buffer, expectedEntries: readonly string[]): Promise<string[]> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(zipBytes);
  } catch (error) {
    return [`the app package is not a readable zip (${error instanceof Error ? error.message : String(error)})`];
  }
  const problems: string[] = [];
  const entries = Object.values(zip.files);
  for (const entry of entries) {
    if (entry.dir || entry.name.includes('/') || entry.name.includes('\\')) {
      problems.push(`the app package contains ${entry.name}, which is not a file at the zip root`);
    } else if (!expectedEntries.includes(entry.name)) {
      problems.push(`the app package contains the unexpected file ${entry.name}`);
    }
  }
  const names = entries.map((entry) => entry.name);
  for (const expected of expectedEntries.filter((name) => !names.includes(name))) {
    problems.push(`the app package is missing ${expected} at its root`);
  }
  return problems;
}
