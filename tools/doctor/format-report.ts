import type { CheckResult, CheckStatus } from './check-result';
import type { DoctorReport } from './run-doctor';

const MARKS: Readonly<Record<CheckStatus, string>> = { ok: '✔', warn: '!', fail: '✖' };

/** One printed line: mark, title and, when there is one, the fix after a dash. */
function formatResult(result: CheckResult): string {
  return `${MARKS[result.status]} ${result.title}${result.fix ? ` — ${result.fix}` : ''}`;
}

/** The whole report as lines: a heading per check, its verdicts, then the overall verdict. */
export function formatReport(report: DoctorReport): string[] {
  const lines: string[] = [];
  for (const section of report.sections) {
    lines.push(section.heading);
    for (const result of section.results) lines.push(`  ${formatResult(result)}`);
    lines.push('');
  }
  const all = report.sections.flatMap((s) => s.results);
  const failures = all.filter((r) => r.status === 'fail').length;
  const warnings = all.filter((r) => r.status === 'warn').length;
  const counts = `${failures} problem(s), ${warnings} warning(s)`;
  if (report.demoMode) lines.push(`✖ Demo mode: not production-ready (${counts})`);
  else if (report.productionReady) lines.push(`✔ Ready for production (${warnings} warning(s) to read)`);
  else lines.push(`✖ Not ready for production: ${counts}`);
  return lines;
}
