/** The reviewer report as Markdown that fits a pull-request comment; plan text is escaped (pipeline/util/safe-text). */
import type { ReportData } from './data';
import { costText, mw, n, pct, usd } from './format';
import type { TimelineReport } from './timeline';
import { DAY_MS, planInstant } from '../model/timeline';
import { markdown as esc, markdownCode as code, mermaidLabel } from '../util/safe-text';

export function reportMarkdown(r: ReportData): string {
  const t = r.totals;
  const out: string[] = [];
  const { errors, otherDates: other } = r.diagnostics;
  const verdict = `${errors || other ? '❌' : '✅'} ${errors ? `${errors} error(s)` : 'no errors'}`;
  const asOf = r.asOf ? ` as of ${esc(r.asOf)}` : '';
  out.push(`## gigawatt report: ${esc(r.plan)}${asOf}`, '');
  out.push(
    `${verdict}, ${r.diagnostics.warnings} warning(s)${r.diagnostics.waived ? `, ${r.diagnostics.waived} waived` : ''}${r.asOf ? ` at ${esc(r.asOf)}` : ''}${other ? `; ${other.errors} error(s) from ${esc(other.from)}` : ''} · **${n(t.accelerators)} accelerators** on ${n(t.nodes)} nodes in ${t.sites} site(s) · ${r.sites.some((s) => s.provider === 'onprem') ? `IT ${mw(t.itMW)}, facility ${mw(t.facilityMW)}` : 'power: AWS-owned sites'} · cost ${costText(t.knownUsdPerHour, t.pricedPools, r.unknownPrices.length)}${t.pricedPools ? ` (${usd(t.knownUsdPerMonth)}/month known)` : ''}`,
    '',
  );
  out.push('| accelerator | count |', '|---|---:|');
  for (const [model, count] of Object.entries(r.acceleratorsByModel).sort(
    (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
  ))
    out.push(`| ${esc(model)} | ${n(count)} |`);
  out.push('');
  out.push(
    '### Sites',
    '',
    '| site | provider | nodes | accelerators | IT | facility | usable | load | racks | switches | cables |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const s of r.sites) {
    const est = s.powerEstimate ? ' (est.)' : '';
    const racks = s.racksAvailable !== undefined ? `${n(s.racksUsed)} / ${n(s.racksAvailable)}` : '—';
    out.push(
      `| ${esc(s.name)} | ${s.provider}${s.region ? ` ${esc(s.region)}` : ''} | ${n(s.nodes)} | ${n(s.accelerators)} | ${s.provider === 'aws' ? 'AWS-owned' : mw(s.itMW) + est} | ${mw(s.facilityMW)}${s.facilityMW !== undefined ? est : ''} | ${mw(s.usableMW)} | ${pct(s.utilization)} | ${racks} | ${n(s.switches)} | ${n(s.cables)} |`,
    );
  }
  out.push('');
  out.push(
    '### Pools',
    '',
    '| pool | site | type | capacity | nodes | accelerators | UltraServers | vCPUs | accel. memory (GiB) | IT power | $/h |',
    '|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const p of r.pools)
    out.push(
      `| ${esc(p.name)} | ${esc(p.site)} | ${esc(p.type)} | ${p.capacityType} | ${n(p.nodes)} | ${n(p.accelerators)} | ${n(p.ultraServers)} | ${n(p.vcpus)} | ${n(p.acceleratorMemoryGiB)} | ${p.itKW !== undefined ? mw(p.itKW / 1000) + (p.powerEstimate ? ' (est.)' : '') : '—'} | ${p.priceBasis === 'not applicable' ? 'n/a' : usd(p.usdPerHour)} |`,
    );
  out.push('');
  if (r.unknownPrices.length) {
    out.push('### Unknown prices (not counted as $0)', '');
    for (const u of r.unknownPrices) out.push(`- ${code(u.pool)}: ${esc(u.reason)}`);
    out.push('');
  }
  if (r.estimates.length) {
    out.push('<details><summary>Estimated figures</summary>', '');
    for (const e of r.estimates) out.push(`- ${esc(e)}`);
    out.push('', '</details>', '');
  }
  if (r.timeline) out.push(...timelineMarkdown(r.timeline));
  if (r.findings.length) {
    out.push('### Findings', '', '| severity | rule | where | finding | fix |', '|---|---|---|---|---|');
    for (const f of r.findings)
      out.push(
        `| ${f.waived ? `${f.severity} (waived)` : f.severity} | ${code(f.rule)} | ${code(f.where)} ${esc(f.path)} | ${esc(f.message)}${f.waived ? ` — waived ${esc(f.waived)}` : ''} | ${esc(f.fix)} |`,
      );
    out.push('');
  }
  if (r.waivers.length) {
    out.push(
      '### Waivers',
      '',
      '| rule | target | plan dates | expires | reason | status |',
      '|---|---|---|---|---|---|',
    );
    for (const w of r.waivers)
      out.push(
        `| ${code(w.rule)} | ${esc(w.target)} | ${w.from || w.until ? `${w.from ?? '…'} to ${w.until ?? '…'}` : 'all'} | ${w.expires} | ${esc(w.reason)} | ${w.status === 'refused' ? 'refused by the waiver policy' : w.status} |`,
      );
    out.push('');
  }
  out.push(
    `<sub>catalog ${r.catalogVersion} · prices: us-east-1 on-demand list prices where published</sub>`,
    '',
  );
  return out.join('\n');
}

/** The timeline: the plan at each judged date, then the first date each constraint breaks. */
export function timelineMarkdown(t: TimelineReport): string[] {
  const out = [
    '### Timeline',
    '',
    '| date | accelerators | IT (on-prem) | facility | usable | racks | errors | warnings |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const p of t.points)
    out.push(
      `| ${esc(p.date)} | ${n(p.accelerators)} | ${mw(p.itMW)} | ${mw(p.facilityMW)} | ${mw(p.usableMW)} | ${n(p.racksUsed)} / ${n(p.racksAvailable)} | ${n(p.errors)} | ${n(p.warnings)} |`,
    );
  out.push('');
  if (t.breaks.length) {
    out.push(
      '#### First date each constraint breaks',
      '',
      '| from | until | rule | target | finding |',
      '|---|---|---|---|---|',
    );
    for (const b of t.breaks)
      out.push(
        `| ${esc(b.date)} | ${esc(b.until ?? '—')} | ${code(b.rule)}${b.waived ? ' (waived)' : ''} | ${esc(b.target)} | ${esc(b.message.replace(/^From [^:]+: /, ''))} |`,
      );
  } else out.push('No constraint breaks at any date of the timeline.');
  out.push('', ...ganttMarkdown(t));
  return out;
}

/** Most bars drawn in the Markdown Gantt; a PR comment stays readable, the HTML report draws them all. */
const GANTT_BARS = 40;

/**
 * Capacity Blocks and phases as a Mermaid gantt block, which GitHub renders in comments and files
 * (docs.github.com, "Creating diagrams"). Dates are UTC to the minute, in `YYYY-MM-DD HH:mm`, the
 * dateFormat of Mermaid's own gantt tests; a bar is at least a day long, and the last phase, which holds
 * on, is drawn to the last judged date.
 */
export function ganttMarkdown(t: TimelineReport): string[] {
  if (!t.bars.length) return [];
  const minute = (at: number) => new Date(at).toISOString().slice(0, 16).replace('T', ' ');
  const last = planInstant(t.points.at(-1)!.date);
  const bars = t.bars.slice(0, GANTT_BARS).map((b, i) => {
    const start = planInstant(b.start);
    const end = Math.max(b.end ? planInstant(b.end) : last, start + DAY_MS);
    return { kind: b.kind, line: `    ${mermaidLabel(b.label)} :b${i}, ${minute(start)}, ${minute(end)}` };
  });
  const out = [
    '```mermaid',
    'gantt',
    '    title Capacity Blocks and phases (UTC)',
    '    dateFormat YYYY-MM-DD HH:mm',
    '    axisFormat %Y-%m-%d',
  ];
  for (const [title, kind] of [
    ['Capacity Blocks', 'capacity-block'],
    ['Phases', 'phase'],
  ] as const) {
    const section = bars.filter((b) => b.kind === kind);
    if (section.length) out.push(`    section ${title}`, ...section.map((b) => b.line));
  }
  out.push('```', '');
  if (t.bars.length > bars.length)
    out.push(
      `${t.bars.length - bars.length} more bar(s) in the HTML report (\`gigawatt report --format html\`).`,
      '',
    );
  return out;
}
