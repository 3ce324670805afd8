import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

interface SelfTimeRow {
  readonly name: string;
  readonly where: string;
  readonly selfMs: number;
  readonly percent: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly idlePercent: number;
  readonly topFunctions: readonly SelfTimeRow[];
  readonly byArea: readonly { readonly area: string; readonly selfMs: number; readonly percent: number }[];
}

/** Where a function lives: our code, a package, Node itself, or the engine (GC, idle, program). */
function areaOf(url: string, name: string): string {
  if (!url) return `(${name || 'anonymous'})`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node core';
  const ours = /\/(dist|src)\/(.+?)\//.exec(url);
  if (ours) return `app ${ours[2]}`;
  return 'other';
}

function shortWhere(url: string, line: number): string {
  if (!url) return '';
  const trimmed = url
    .replace(/^file:\/\//, '')
    .replace(/^.*?node_modules\//, '')
    .replace(/^.*?\/dist\//, 'dist/');
  return `${trimmed}:${line + 1}`;
}

/**
 * Self time per function and per area from a V8 .cpuprofile (sum of sample intervals), leaving out
 * the first `skipMs` (start-up and warm-up: module loading is not a turn's cost).
 */
export function summarizeProfile(file: string, skipMs = 0, top = 30): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  let elapsedUs = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    elapsedUs += delta;
    if (elapsedUs >= skipMs * 1000) selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const functions = new Map<string, { name: string; where: string; us: number }>();
  const areas = new Map<string, number>();
  let idle = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') idle += us;
    const key = `${functionName}@${url}:${lineNumber}`;
    const entry = functions.get(key) ?? { name: functionName || '(anonymous)', where: shortWhere(url, lineNumber), us: 0 };
    entry.us += us;
    functions.set(key, entry);
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const busy = total - idle;
  const pct = (us: number): number => Math.round((us / busy) * 1000) / 10;
  return {
    totalMs: Math.round(total / 1000),
    idlePercent: Math.round((idle / total) * 1000) / 10,
    topFunctions: [...functions.values()]
      .filter((f) => f.name !== '(idle)')
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ name: f.name, where: f.where, selfMs: Math.round(f.us / 1000), percent: pct(f.us) })),
    byArea: [...areas.entries()]
      .filter(([area]) => area !== '((idle))')
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([area, us]) => ({ area, selfMs: Math.round(us / 1000), percent: pct(us) })),
  };
}

/** The summary as Markdown tables (percentages of busy, non-idle time). */
export function profileMarkdown(summary: ProfileSummary): string {
  const lines = [
    `Profile: ${summary.totalMs} ms sampled, ${summary.idlePercent}% idle. Percentages are of busy time.`,
    '',
    '| Area | Self ms | % busy |',
    '|---|---:|---:|',
    ...summary.byArea.map((a) => `| ${a.area} | ${a.selfMs} | ${a.percent} |`),
    '',
    '| Function | Where | Self ms | % busy |',
    '|---|---|---:|---:|',
    ...summary.topFunctions.map((f) => `| ${f.name.replace(/\|/g, '\\|')} | ${f.where} | ${f.selfMs} | ${f.percent} |`),
  ];
  return `${lines.join('\n')}\n`;
}
