/**
 * The reviewer report as one self-contained HTML file: the Chart.js bundle, the data and the page are
 * inlined, so it opens with no network access.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ReportData } from './data';
import type { TimelineReport } from './timeline';
import { costText, mw, n, pct, usd } from './format';
import { DAY_MS, planInstant } from '../model/timeline';
import { html } from '../util/safe-text';

/**
 * Text safe inside HTML elements and quoted attributes (shared by the report and the diff): markup
 * escaped, control characters and bidi overrides removed (pipeline/util/safe-text).
 */
export const esc = html;
/** JSON safe to embed in a <script> element. */
const scriptJson = (v: unknown): string =>
  JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

let chartJs: string | undefined;
/** Chart.js's browser (UMD) bundle; the package exports only its module builds, so find it beside them. */
const chartBundle = (): string =>
  (chartJs ??= readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.js'), 'utf8'));

/** The page style of the report, shared by the HTML diff so both look alike. */
export const REPORT_CSS = `body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #1d2330; padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: .75rem; }
.kpi { background: #f3f5f9; border-radius: 8px; padding: .75rem 1rem; } .kpi b { display: block; font-size: 1.3rem; }
table { border-collapse: collapse; width: 100%; margin-top: .5rem; } td, th { border-bottom: 1px solid #dde2ea; padding: .35rem .5rem; text-align: right; }
td:first-child, th:first-child { text-align: left; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 1.5rem; }
.chart { position: relative; height: 280px; } td.l { text-align: left; } .bad { color: #b42318; } .note { color: #5b6575; }
table.findings td, table.findings th { text-align: left; vertical-align: top; } .sev-error { color: #b42318; font-weight: 600; } .sev-warning { color: #b54708; font-weight: 600; } .sev-info { color: #175cd3; }
`;

export interface RackFill {
  readonly label: string;
  readonly used: number;
  readonly available: number;
}

export function reportHtml(r: ReportData, rackFill: readonly RackFill[] = r.halls): string {
  const t = r.totals;
  const power = r.sites.filter((s) => s.provider === 'onprem');
  const charts = {
    power: {
      labels: power.map((s) => s.name),
      it: power.map((s) => s.itMW ?? 0),
      facility: power.map((s) => s.facilityMW ?? 0),
      usable: power.map((s) => s.usableMW ?? 0),
    },
    pools: { labels: r.pools.map((p) => p.name), accelerators: r.pools.map((p) => p.accelerators) },
    racks: {
      labels: rackFill.map((h) => h.label),
      used: rackFill.map((h) => h.used),
      free: rackFill.map((h) => Math.max(0, h.available - h.used)),
    },
  };
  const rows = (cells: string[][]) =>
    cells.map((c) => `<tr>${c.map((x) => `<td>${x}</td>`).join('')}</tr>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gigawatt report: ${esc(r.plan)}${r.asOf ? ` as of ${esc(r.asOf)}` : ''}</title>
<style>
${REPORT_CSS}</style>
</head>
<body>
<h1>gigawatt report: ${esc(r.plan)}${r.asOf ? ` as of ${esc(r.asOf)}` : ''}</h1>
<p class="${r.diagnostics.errors || r.diagnostics.otherDates ? 'bad' : ''}">${r.diagnostics.errors ? `${r.diagnostics.errors} error(s)` : 'No errors'}, ${r.diagnostics.warnings} warning(s)${r.diagnostics.waived ? `, ${r.diagnostics.waived} waived` : ''}${r.asOf ? ` at ${esc(r.asOf)}` : ''}${r.diagnostics.otherDates ? `; ${r.diagnostics.otherDates.errors} error(s) from ${esc(r.diagnostics.otherDates.from)}` : ''}.</p>
<div class="kpis">
<div class="kpi"><b>${n(t.accelerators)}</b>accelerators</div>
<div class="kpi"><b>${n(t.nodes)}</b>nodes</div>
<div class="kpi"><b>${mw(t.itMW)}</b>IT power (on-prem)</div>
<div class="kpi"><b>${mw(t.facilityMW)}</b>facility power</div>
<div class="kpi"><b>${esc(costText(t.knownUsdPerHour, t.pricedPools, r.unknownPrices.length))}</b>on-demand cost</div>
</div>
<h2>Charts</h2>
<div class="charts">
<div><h3>Power vs envelope per site (MW)</h3><div class="chart"><canvas id="power" aria-label="power per site"></canvas></div></div>
<div><h3>Accelerators per pool</h3><div class="chart"><canvas id="pools" aria-label="accelerators per pool"></canvas></div></div>
<div><h3>Rack fill per hall</h3><div class="chart"><canvas id="racks" aria-label="rack fill per hall"></canvas></div></div>
</div>
${r.timeline ? timelineSection(r.timeline) : ''}
<h2>Sites</h2>
<table><tr><th>site</th><th>provider</th><th>nodes</th><th>accelerators</th><th>IT</th><th>facility</th><th>usable</th><th>load</th><th>racks</th><th>switches</th></tr>
${rows(r.sites.map((s) => [esc(s.name), esc(`${s.provider}${s.region ? ` ${s.region}` : ''}`), n(s.nodes), n(s.accelerators), s.provider === 'aws' ? 'AWS-owned' : mw(s.itMW) + (s.powerEstimate ? ' (est.)' : ''), mw(s.facilityMW) + (s.powerEstimate && s.facilityMW !== undefined ? ' (est.)' : ''), mw(s.usableMW), pct(s.utilization), s.racksAvailable !== undefined ? `${n(s.racksUsed)} / ${n(s.racksAvailable)}` : '—', n(s.switches)]))}
</table>
<h2>Pools</h2>
<table><tr><th>pool</th><th>site</th><th>type</th><th>capacity</th><th>nodes</th><th>accelerators</th><th>IT power</th><th>$/h</th></tr>
${rows(r.pools.map((p) => [esc(p.name), esc(p.site), esc(p.type), esc(p.capacityType), n(p.nodes), n(p.accelerators), p.itKW !== undefined ? mw(p.itKW / 1000) + (p.powerEstimate ? ' (est.)' : '') : '—', p.priceBasis === 'not applicable' ? 'n/a' : usd(p.usdPerHour)]))}
</table>
${
  r.findings.length
    ? `<h2>Findings</h2>
<table class="findings"><tr><th>severity</th><th>rule</th><th>where</th><th>finding</th><th>fix</th></tr>
${rows(r.findings.map((f) => [`<span class="sev-${f.severity}">${f.severity}</span>${f.waived ? ' (waived)' : ''}`, `<code>${esc(f.rule)}</code>`, `<code>${esc(f.where)}</code> ${esc(f.path)}`, esc(f.message) + (f.waived ? ` <span class="note">waived ${esc(f.waived)}</span>` : ''), esc(f.fix)]))}
</table>`
    : ''
}
${r.waivers.length ? `<h2>Waivers</h2>\n<table class="findings"><tr><th>rule</th><th>target</th><th>plan dates</th><th>expires</th><th>reason</th><th>status</th></tr>\n${rows(r.waivers.map((w) => [`<code>${esc(w.rule)}</code>`, esc(w.target), w.from || w.until ? esc(`${w.from ?? '…'} to ${w.until ?? '…'}`) : 'all', esc(w.expires), esc(w.reason), esc(w.status === 'refused' ? 'refused by the waiver policy' : w.status)]))}\n</table>` : ''}
${r.unknownPrices.length ? `<h2>Unknown prices (not counted as $0)</h2><ul>${r.unknownPrices.map((u) => `<li><code>${esc(u.pool)}</code>: ${esc(u.reason)}</li>`).join('')}</ul>` : ''}
${r.estimates.length ? `<h2>Estimated figures</h2><ul>${r.estimates.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>` : ''}
<p class="note">catalog ${esc(r.catalogVersion)} · prices: us-east-1 on-demand list prices where published</p>
<script>${chartBundle()}</script>
<script>
const data = ${scriptJson(charts)};
const opts = { responsive: true, maintainAspectRatio: false, animation: false };
new Chart(document.getElementById('power'), { type: 'bar', data: { labels: data.power.labels, datasets: [
  { label: 'IT', data: data.power.it, backgroundColor: '#4f7cff' },
  { label: 'facility', data: data.power.facility, backgroundColor: '#f59f00' },
  { label: 'usable', data: data.power.usable, backgroundColor: '#9aa5b8' } ] }, options: opts });
new Chart(document.getElementById('pools'), { type: 'bar', data: { labels: data.pools.labels, datasets: [
  { label: 'accelerators', data: data.pools.accelerators, backgroundColor: '#12b886' } ] }, options: opts });
new Chart(document.getElementById('racks'), { type: 'bar', data: { labels: data.racks.labels, datasets: [
  { label: 'used', data: data.racks.used, backgroundColor: '#845ef7' },
  { label: 'free', data: data.racks.free, backgroundColor: '#dee2e6' } ] }, options: { ...opts, scales: { x: { stacked: true }, y: { stacked: true } } } });
${r.timeline ? `const timeline = ${scriptJson(timelineCharts(r.timeline))};\n${TIMELINE_SCRIPT}` : ''}
</script>
</body>
</html>
`;
}

/** Chart data of the timeline: series per judged date, and Gantt bars in days since 1970-01-01 (UTC). */
function timelineCharts(t: TimelineReport) {
  const day = (label: string) => planInstant(label) / DAY_MS;
  const first = Math.min(...t.bars.map((b) => day(b.start)));
  const lastDay = Math.max(day(t.points.at(-1)!.date), ...t.bars.map((b) => (b.end ? day(b.end) : 0)));
  // The last phase holds on: its bar runs to the right edge, a tenth of the span on.
  const edge = lastDay + Math.max(30, Math.round((lastDay - first) / 10));
  const sites = [...new Set(t.points.flatMap((p) => p.sites.map((s) => s.name)))].slice(0, 8);
  return {
    labels: t.points.map((p) => p.date),
    accelerators: t.points.map((p) => p.accelerators),
    it: t.points.map((p) => p.itMW),
    facility: t.points.map((p) => p.facilityMW),
    usable: t.points.map((p) => p.usableMW),
    sites: sites.map((name) => ({
      name,
      facility: t.points.map((p) => p.sites.find((s) => s.name === name)?.facilityMW ?? null),
      usable: t.points.map((p) => p.sites.find((s) => s.name === name)?.usableMW ?? null),
    })),
    racksUsed: t.points.map((p) => p.racksUsed),
    racksAvailable: t.points.map((p) => p.racksAvailable),
    gantt: {
      labels: t.bars.map((b) => b.label),
      spans: t.bars.map((b) => [day(b.start), b.end ? day(b.end) : edge]),
      colors: t.bars.map((b) => (b.kind === 'capacity-block' ? '#f59f00' : '#4f7cff')),
      min: first - 7,
      max: edge,
    },
  };
}

function timelineSection(t: TimelineReport): string {
  const rows = t.points
    .map(
      (p) =>
        `<tr><td>${esc(p.date)}</td><td>${n(p.accelerators)}</td><td>${mw(p.itMW)}</td><td>${mw(p.facilityMW)}</td><td>${mw(p.usableMW)}</td><td>${n(p.racksUsed)} / ${n(p.racksAvailable)}</td><td class="${p.errors ? 'bad' : ''}">${n(p.errors)}</td><td>${n(p.warnings)}</td></tr>`,
    )
    .join('\n');
  const breaks = t.breaks.length
    ? `<table><tr><th>from</th><th>until</th><th>rule</th><th>target</th><th>finding</th></tr>${t.breaks
        .map(
          (b) =>
            `<tr><td>${esc(b.date)}</td><td>${esc(b.until ?? '—')}</td><td class="${b.severity === 'error' && !b.waived ? 'bad' : ''}">${esc(b.rule)}${b.waived ? ' (waived)' : ''}</td><td>${esc(b.target)}</td><td class="l">${esc(b.message.replace(/^From [^:]+: /, ''))}</td></tr>`,
        )
        .join('\n')}</table>`
    : '<p>No constraint breaks at any date of the timeline.</p>';
  return `<h2>Timeline</h2>
<div class="charts">
<div><h3>Accelerators and power over time</h3><div class="chart"><canvas id="timeline" aria-label="accelerators and power over time"></canvas></div></div>
<div><h3>Racks used and available over time</h3><div class="chart"><canvas id="timeline-racks" aria-label="racks over time"></canvas></div></div>
<div><h3>Capacity Blocks and phases</h3><div class="chart"><canvas id="gantt" aria-label="Capacity Blocks and phases"></canvas></div></div>
</div>
<table><tr><th>date</th><th>accelerators</th><th>IT (on-prem)</th><th>facility</th><th>usable</th><th>racks</th><th>errors</th><th>warnings</th></tr>
${rows}
</table>
<h3>First date each constraint breaks</h3>
${breaks}`;
}

const TIMELINE_SCRIPT = `const dateOf = (d) => new Date(d * 86400000).toISOString().slice(0, 10);
new Chart(document.getElementById('timeline'), { type: 'line', data: { labels: timeline.labels, datasets: [
  { label: 'facility MW', data: timeline.facility, borderColor: '#f59f00', stepped: true, yAxisID: 'mw' },
  { label: 'usable MW', data: timeline.usable, borderColor: '#9aa5b8', borderDash: [6, 4], stepped: true, yAxisID: 'mw' },
  { label: 'IT MW', data: timeline.it, borderColor: '#4f7cff', stepped: true, yAxisID: 'mw' },
  ...(timeline.sites.length > 1 ? timeline.sites.flatMap((s) => [
    { label: s.name + ' facility MW', data: s.facility, stepped: true, yAxisID: 'mw' },
    { label: s.name + ' usable MW', data: s.usable, borderDash: [2, 2], stepped: true, yAxisID: 'mw' } ]) : []),
  { label: 'accelerators', data: timeline.accelerators, borderColor: '#12b886', stepped: true, yAxisID: 'acc' } ] },
  options: { ...opts, scales: { mw: { position: 'left', beginAtZero: true, title: { display: true, text: 'MW' } },
    acc: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: 'accelerators' } } } } });
new Chart(document.getElementById('timeline-racks'), { type: 'line', data: { labels: timeline.labels, datasets: [
  { label: 'racks used', data: timeline.racksUsed, borderColor: '#845ef7', stepped: true },
  { label: 'racks available', data: timeline.racksAvailable, borderColor: '#9aa5b8', borderDash: [6, 4], stepped: true } ] },
  options: { ...opts, scales: { y: { beginAtZero: true } } } });
new Chart(document.getElementById('gantt'), { type: 'bar', data: { labels: timeline.gantt.labels, datasets: [
  { label: 'active', data: timeline.gantt.spans, backgroundColor: timeline.gantt.colors } ] },
  options: { ...opts, indexAxis: 'y', plugins: { legend: { display: false } },
    scales: { x: { min: timeline.gantt.min, max: timeline.gantt.max, ticks: { callback: (v) => dateOf(v) } } } } });`;
