/**
 * Human-readable diagnostics and plan summary for a terminal (colour only on a TTY). Plan text and file
 * names pass through `terminal` (pipeline/util/safe-text): one line each, no escape sequence, no CI command.
 */
import pc from 'picocolors';
import type { ResolvedPlan } from '../model';
import { countBySeverity, waiverSpan, type Diagnostic } from '../util/diagnostic';
import { formatCount } from '../util/format';
import { terminal } from '../util/safe-text';

export interface TextOptions {
  readonly color?: boolean;
  /** With a timeline: the judged dates (the summary is of the last). */
  readonly timeline?: readonly { readonly label: string }[];
}

export const formatMW = (kw: number): string => `${(kw / 1000).toFixed(kw >= 100000 ? 0 : 2)} MW`;

export function summaryLines(plan: ResolvedPlan): string[] {
  const t = plan.totals;
  const models = Object.entries(t.acceleratorsByModel)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([m, n]) => `${formatCount(n)} × ${terminal(m)}`)
    .join(', ');
  const power =
    t.itKW > 0 ? `, ${formatMW(t.itKW)} node IT load${t.powerComplete ? '' : ' (on-prem pools)'}` : '';
  const lines = [
    `plan ${plan.name}: ${plan.sites.length} site${plan.sites.length === 1 ? '' : 's'}, ${t.pools} pool${t.pools === 1 ? '' : 's'}, ${formatCount(t.nodes)} nodes, ${formatCount(t.accelerators)} accelerators${power}`,
  ];
  if (models) lines.push(`  accelerators: ${models}`);
  for (const site of plan.sites) {
    const acc = site.pools.reduce((s, p) => s + p.accelerators, 0);
    let line = `  site ${site.name} (${site.provider}${site.spec.region ? ` ${site.spec.region}` : ''}): ${site.pools.length} pools, ${formatCount(acc)} accelerators`;
    const est = site.pools.some((p) => p.powerEstimate) ? ' (est.)' : '';
    if (site.provider === 'aws') line += ', power: AWS-owned (no envelope checked)';
    else if (site.envelope)
      line += `, IT ${site.envelope.itMW.toFixed(2)} MW${est} ${site.fabricPowerUnknown?.length ? '(switch power unknown)' : `incl. fabric ${((site.fabricKW ?? 0) / 1000).toFixed(2)} MW`}, facility ${site.envelope.facilityMW.toFixed(2)} MW of ${site.envelope.usableMW.toFixed(2)} MW usable (${(site.envelope.utilization * 100).toFixed(1)} %)`;
    if (site.placement)
      line += `, racks ${site.placement.halls.reduce((n, h) => n + h.racksUsed, 0)} / ${site.placement.halls.reduce((n, h) => n + h.racksAvailable, 0)}`;
    lines.push(line);
  }
  return lines;
}

export function formatText(
  diagnostics: readonly Diagnostic[],
  plan: ResolvedPlan | undefined,
  file: string,
  options: TextOptions = {},
): string {
  const c = pc.createColors(options.color ?? false);
  const out: string[] = [];
  for (const d of diagnostics) {
    const where = `${terminal(d.file ?? file)}${d.line !== undefined ? `:${d.line}:${d.col}` : ''}`;
    const sev = d.waiver
      ? c.dim('waived')
      : d.severity === 'error'
        ? c.red('error')
        : d.severity === 'warning'
          ? c.yellow('warning')
          : c.cyan('info');
    out.push(`${c.bold(where)}  ${sev}  ${c.dim(d.rule)}  ${terminal(d.message)}`);
    out.push(`    ${c.dim('fix:')} ${terminal(d.hint)}`);
    if (d.waiver) out.push(`    ${c.dim(`waived ${waiverSpan(d.waiver)}: ${terminal(d.waiver.reason)}`)}`);
  }
  if (plan) {
    if (out.length) out.push('');
    out.push(...summaryLines(plan));
    const dates = options.timeline;
    if (dates?.length)
      out.push(
        terminal(
          `  timeline: judged at ${dates.length} date${dates.length === 1 ? '' : 's'} from ${dates[0]!.label} to ${dates.at(-1)!.label}; the summary is the plan as of ${dates.at(-1)!.label}`,
        ),
      );
  }
  const n = countBySeverity(diagnostics);
  const parts = [
    `${n.errors} error${n.errors === 1 ? '' : 's'}`,
    `${n.warnings} warning${n.warnings === 1 ? '' : 's'}`,
  ];
  if (n.infos) parts.push(`${n.infos} info`);
  if (n.waived) parts.push(`${n.waived} waived`);
  const name = terminal(file);
  out.push(n.errors ? c.red(`✖ ${name}: ${parts.join(', ')}`) : c.green(`✔ ${name}: ${parts.join(', ')}`));
  return out.join('\n') + '\n';
}
