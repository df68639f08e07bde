/**
 * The reviewer report as one self-contained HTML file: the Chart.js bundle, the data and the page are
 * inlined, so it opens with no network access.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ReportData } from './data';
import { costText, mw, n, pct, usd } from './format';

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
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
<title>gigawatt report: ${esc(r.plan)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #1d2330; padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: .75rem; }
.kpi { background: #f3f5f9; border-radius: 8px; padding: .75rem 1rem; } .kpi b { display: block; font-size: 1.3rem; }
table { border-collapse: collapse; width: 100%; margin-top: .5rem; } td, th { border-bottom: 1px solid #dde2ea; padding: .35rem .5rem; text-align: right; }
td:first-child, th:first-child { text-align: left; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 1.5rem; }
.chart { position: relative; height: 280px; } .bad { color: #b42318; } .note { color: #5b6575; }
</style>
</head>
<body>
<h1>gigawatt report: ${esc(r.plan)}</h1>
<p class="${r.diagnostics.errors ? 'bad' : ''}">${r.diagnostics.errors ? `${r.diagnostics.errors} error(s)` : 'No errors'}, ${r.diagnostics.warnings} warning(s)${r.diagnostics.waived ? `, ${r.diagnostics.waived} waived` : ''}.</p>
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
<h2>Sites</h2>
<table><tr><th>site</th><th>provider</th><th>nodes</th><th>accelerators</th><th>IT</th><th>facility</th><th>usable</th><th>load</th><th>racks</th><th>switches</th></tr>
${rows(r.sites.map((s) => [esc(s.name), esc(`${s.provider}${s.region ? ` ${s.region}` : ''}`), n(s.nodes), n(s.accelerators), s.provider === 'aws' ? 'AWS-owned' : mw(s.itMW) + (s.powerEstimate ? ' (est.)' : ''), mw(s.facilityMW) + (s.powerEstimate && s.facilityMW !== undefined ? ' (est.)' : ''), mw(s.usableMW), pct(s.utilization), s.racksAvailable !== undefined ? `${n(s.racksUsed)} / ${n(s.racksAvailable)}` : '—', n(s.switches)]))}
</table>
<h2>Pools</h2>
<table><tr><th>pool</th><th>site</th><th>type</th><th>capacity</th><th>nodes</th><th>accelerators</th><th>IT power</th><th>$/h</th></tr>
${rows(r.pools.map((p) => [esc(p.name), esc(p.site), esc(p.type), esc(p.capacityType), n(p.nodes), n(p.accelerators), p.itKW !== undefined ? mw(p.itKW / 1000) + (p.powerEstimate ? ' (est.)' : '') : '—', p.priceBasis === 'not applicable' ? 'n/a' : usd(p.usdPerHour)]))}
</table>
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
</script>
</body>
</html>
`;
}
