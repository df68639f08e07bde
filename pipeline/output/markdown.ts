/** Findings as Markdown for a pull-request comment. */
import type { ValidationResult } from '../run';
import { countBySeverity, waiverSpan } from '../util/diagnostic';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const ICON = { error: '❌', warning: '⚠️', info: 'ℹ️' } as const;

export function formatMarkdown(results: readonly ValidationResult[]): string {
  const out: string[] = [];
  for (const res of results) {
    const n = countBySeverity(res.diagnostics);
    out.push(`### gigawatt validate: \`${res.file}\``, '');
    out.push(
      `${n.errors ? '❌' : '✅'} **${n.errors} error(s)**, ${n.warnings} warning(s)${n.infos ? `, ${n.infos} info` : ''}${n.waived ? `, ${n.waived} waived` : ''}`,
      '',
    );
    if (res.plan)
      out.push(
        `${res.plan.totals.accelerators.toLocaleString('en-US')} accelerators on ${res.plan.totals.nodes.toLocaleString('en-US')} nodes in ${res.plan.sites.length} site(s).`,
        '',
      );
    const shown = res.diagnostics.filter((d) => !d.waiver);
    if (shown.length) {
      out.push('| | rule | where | finding | fix |', '|---|---|---|---|---|');
      for (const d of shown)
        out.push(
          `| ${ICON[d.severity]} | \`${d.rule}\` | \`${d.file ?? res.file}:${d.line ?? 1}\` ${cell(d.path)} | ${cell(d.message)} | ${cell(d.hint)} |`,
        );
      out.push('');
    }
    const waived = res.diagnostics.filter((d) => d.waiver);
    if (waived.length) {
      out.push('<details><summary>Waived findings</summary>', '');
      for (const d of waived)
        out.push(
          `- \`${d.rule}\` ${cell(d.message)} — waived ${waiverSpan(d.waiver!)}: ${cell(d.waiver!.reason)}`,
        );
      out.push('', '</details>', '');
    }
  }
  return out.join('\n');
}
