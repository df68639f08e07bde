/** Findings as Markdown for a pull-request comment; plan text and file names are escaped (pipeline/util/safe-text). */
import type { ValidationResult } from '../run';
import { countBySeverity, waiverSpan } from '../util/diagnostic';
import { markdown as md, markdownCode as code } from '../util/safe-text';

const ICON = { error: '❌', warning: '⚠️', info: 'ℹ️' } as const;

export function formatMarkdown(results: readonly ValidationResult[]): string {
  const out: string[] = [];
  for (const res of results) {
    const n = countBySeverity(res.diagnostics);
    out.push(`### gigawatt validate: ${code(res.file)}`, '');
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
          `| ${ICON[d.severity]} | ${code(d.rule)} | ${code(`${d.file ?? res.file}:${d.line ?? 1}`)} ${md(d.path)} | ${md(d.message)} | ${md(d.hint)} |`,
        );
      out.push('');
    }
    const waived = res.diagnostics.filter((d) => d.waiver);
    if (waived.length) {
      out.push('<details><summary>Waived findings</summary>', '');
      for (const d of waived)
        out.push(
          `- ${code(d.rule)} ${md(d.message)} — waived ${md(waiverSpan(d.waiver!))}: ${md(d.waiver!.reason)}`,
        );
      out.push('', '</details>', '');
    }
  }
  return out.join('\n');
}
