/**
 * The plan diff as one self-contained HTML page, in the look of the HTML report (its style and its
 * escaping): totals, every site whose nodes, power or racks move, pools, findings new, changed and
 * resolved (each with severity, rule, file:line and fix), the waivers added, changed or removed, the
 * timeline, and every Terraform resource the change adds, updates, replaces or destroys. No script and nothing fetched: it opens offline.
 */
import { waiverSpan, type Diagnostic } from '../util/diagnostic';
import {
  SITE_COLUMNS,
  diffTotalRows,
  moved,
  poolCells,
  POOL_COLUMNS,
  rangeRuns,
  rangeStartsText,
  rangeTerraformText,
  rangeText,
  siteCells,
  type BreakSpan,
  type PlanDiff,
  type RangeDiffs,
} from './diff';
import type { WaiverReport } from './data';
import { costText, mw, n, signed, usd } from './format';
import { REPORT_CSS, esc } from './html';

const DIFF_CSS = `.kpi.bad b { color: #b42318; } .change-new { color: #b42318; font-weight: 600; }
.change-changed { color: #b54708; font-weight: 600; } .change-resolved { color: #067647; font-weight: 600; }
.change-waived { color: #475467; font-weight: 600; }
.recycle { background: #fef3f2; border-left: 4px solid #b42318; padding: .5rem 1rem; }
table.plain td, table.plain th { text-align: left; vertical-align: top; }
`;

/** Rows of escaped-or-markup cells. */
const rows = (cells: readonly (readonly string[])[]): string =>
  cells.map((c) => `<tr>${c.map((x) => `<td>${x}</td>`).join('')}</tr>`).join('\n');
const head = (names: readonly string[]): string =>
  `<tr>${names.map((x) => `<th>${esc(x)}</th>`).join('')}</tr>`;
const code = (s: string): string => `<code>${esc(s)}</code>`;
const where = (file: string, d: Diagnostic): string =>
  `${code(`${d.file ?? file}${d.line !== undefined ? `:${d.line}` : ''}`)} ${esc(d.path)}`;
const sev = (s: Diagnostic['severity']): string => `<span class="sev-${s}">${s}</span>`;
const datesText = (w: WaiverReport): string =>
  w.from || w.until ? `${w.from ?? '…'} to ${w.until ?? '…'}` : 'all';
const statusText = (w: WaiverReport): string =>
  w.status === 'refused' ? 'refused by the waiver policy' : w.status;
/** The head value, and the base one beside it when the change moved it. */
const was = (head: string, base: string): string =>
  head === base ? esc(head) : `${esc(head)} <span class="note">was: ${esc(base)}</span>`;

/**
 * Waivers added, changed (same rule and target) and removed, with the columns of the report's Waivers
 * table and whether the rule is a security rule, which no plan may waive: a reviewer sees every finding
 * the head plan stops reporting, and every one it reports again.
 */
function waiversHtml(w: PlanDiff['waivers']): string {
  if (!w.added.length && !w.changed.length && !w.removed.length) return '';
  const security = (x: WaiverReport) =>
    x.security ? '<span class="bad">yes: never waivable from a plan</span>' : 'no';
  const cells = (change: string, x: WaiverReport) => [
    change,
    code(x.rule),
    esc(x.target),
    esc(datesText(x)),
    esc(x.expires),
    esc(x.reason),
    security(x),
    esc(statusText(x)),
  ];
  return `<h2>Waivers</h2>
<table class="findings">${head(['change', 'rule', 'target', 'plan dates', 'expires', 'reason', 'security rule', 'status'])}
${rows([
  ...w.added.map((x) => cells('<span class="change-new">added</span>', x)),
  ...w.changed.map(({ base: b, head: h }) => [
    '<span class="change-changed">changed</span>',
    code(h.rule),
    esc(h.target),
    was(datesText(h), datesText(b)),
    was(h.expires, b.expires),
    was(h.reason, b.reason),
    security(h),
    was(statusText(h), statusText(b)),
  ]),
  ...w.removed.map((x) => cells('<span class="change-resolved">removed</span>', x)),
])}
</table>`;
}

const spanText = (s?: BreakSpan): string =>
  !s ? 'never' : s.until ? `from ${s.date} until ${s.until}` : `from ${s.date} on`;

export function diffHtml(d: PlanDiff): string {
  const t = d.totals;
  const title = `gigawatt diff: ${d.base} → ${d.head}`;
  const newBy = (s: Diagnostic['severity']) => d.findings.new.filter((f) => f.severity === s).length;
  const newErrors =
    newBy('error') +
    d.findings.changed.filter((c) => c.head.severity === 'error' && c.base.severity !== 'error').length;
  const priced = d.pricedPools.base + d.pricedPools.head > 0;
  const totalRows = diffTotalRows(d);
  const findingRows = [
    ...d.findings.new.map((f) => [
      '<span class="change-new">new</span>',
      sev(f.severity),
      code(f.rule),
      where(d.files.head, f),
      esc(f.message),
      esc(f.hint),
    ]),
    ...d.findings.changed.map((c) => [
      '<span class="change-changed">changed</span>',
      sev(c.head.severity) +
        (c.base.severity !== c.head.severity ? ` <span class="note">was ${c.base.severity}</span>` : ''),
      code(c.head.rule),
      where(d.files.head, c.head),
      `${esc(c.head.message)} <span class="note">was: ${esc(c.base.message)}</span>`,
      esc(c.head.hint),
    ]),
    ...d.findings.waived.map((f) => [
      '<span class="change-waived">waived</span>',
      sev(f.severity),
      code(f.rule),
      where(d.files.head, f),
      esc(f.message),
      `waiver ${esc(waiverSpan(f.waiver!))}: ${esc(f.waiver!.reason)}`,
    ]),
    ...d.findings.resolved.map((f) => [
      '<span class="change-resolved">resolved</span>',
      sev(f.severity),
      code(f.rule),
      where(d.files.base, f),
      esc(f.message),
      '—',
    ]),
  ];
  const tf = d.terraform;
  const verdict = [
    newErrors ? `${newErrors} new error(s)` : 'no new errors',
    `${newBy('warning')} new warning(s)`,
    `${d.findings.changed.length} changed`,
    `${d.findings.resolved.length} resolved`,
    ...(d.findings.waived.length ? [`${d.findings.waived.length} waived`] : []),
  ].join(', ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
${REPORT_CSS}${DIFF_CSS}</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p class="${newErrors ? 'bad' : ''}">${esc(verdict)}.</p>
<div class="kpis">
<div class="kpi"><b>${esc(signed(t.accelerators.delta, n))}</b>accelerators (${esc(n(t.accelerators.head))} total)</div>
<div class="kpi"><b>${esc(signed(t.itMW.delta, mw))}</b>IT power (on-prem)</div>
<div class="kpi"><b>${esc(signed(t.facilityMW.delta, mw))}</b>facility power</div>
<div class="kpi"><b>${esc(priced ? `${signed(t.knownUsdPerHour.delta, usd)}/h` : 'unknown')}</b>cost on priced pools; head ${esc(costText(t.knownUsdPerHour.head, d.pricedPools.head, d.unknownPrices.head))}</div>
${tf ? `<div class="kpi${tf.recycles.length ? ' bad' : ''}"><b>${n(tf.added.length)} / ${n(tf.replaced.length)} / ${n(tf.destroyed.length)}</b>Terraform resources added / replaced / destroyed</div>` : ''}
</div>
<h2>Totals</h2>
<table>${head(['total', 'base', 'head', 'change'])}
${rows(totalRows.map(([label, c, f]) => [esc(label), esc(f(c.base)), esc(f(c.head)), esc(signed(c.delta, f))]))}
</table>
${
  d.siteChanges.length
    ? `<h2>Sites</h2>
<table>${head(SITE_COLUMNS)}
${rows(d.siteChanges.map((s) => siteCells(s).map(esc)))}
</table>`
    : ''
}
${
  d.pools.length
    ? `<h2>Pools</h2>
<table>${head([...POOL_COLUMNS])}
${rows(d.pools.map((p) => poolCells(p).map(esc)))}
</table>`
    : ''
}
<h2>Findings</h2>
${
  findingRows.length
    ? `<table class="findings">${head(['change', 'severity', 'rule', 'where', 'finding', 'fix'])}
${rows(findingRows)}
</table>`
    : '<p>No finding is new, changed, waived or resolved.</p>'
}
${waiversHtml(d.waivers)}
${
  d.timeline?.length
    ? `<h2>Timeline</h2>
<table class="plain">${head(['rule', 'target', 'waived', 'base', 'head'])}
${rows(d.timeline.map((m) => [code(m.rule), esc(m.target), m.waived ? 'waived' : 'unwaived', esc(spanText(m.base)), esc(spanText(m.head))]))}
</table>`
    : ''
}
${
  tf
    ? `<h2>Terraform</h2>
<p>${n(tf.added.length)} added, ${n(tf.updated.length)} updated in place, ${n(tf.replaced.length)} replaced, ${n(tf.destroyed.length)} destroyed.</p>
${
  tf.recycles.length
    ? `<div class="recycle"><p><b>${n(tf.recycles.length)} change(s) recycle nodes:</b></p><ul>${tf.recycles.map((r) => `<li>${code(r.address)}: ${esc(r.why)}</li>`).join('')}</ul></div>`
    : ''
}
${
  tf.added.length + tf.updated.length + tf.replaced.length + tf.destroyed.length
    ? `<table class="plain">${head(['action', 'resource'])}
${rows([
  ...tf.added.map((a) => ['added', code(a)]),
  ...tf.updated.map((a) => ['updated in place', code(a)]),
  ...tf.replaced.map((a) => ['<span class="bad">replaced</span>', code(a)]),
  ...tf.destroyed.map((a) => ['<span class="bad">destroyed</span>', code(a)]),
])}
</table>`
    : ''
}`
    : ''
}
${d.ranges ? rangesHtml(d.ranges) : ''}
<p class="note">${esc(d.files.base)} → ${esc(d.files.head)}</p>
</body>
</html>
`;
}

/** The plans compared on every range of dates: sites, pools, findings and Terraform of each range. */
function rangesHtml(ranges: RangeDiffs): string {
  const sections = rangeRuns(ranges.ranges).map((r) => {
    const title = `<h3>${esc(rangeText(r))}</h3>`;
    if (r.unchanged) return `${title}\n<p>No difference.</p>`;
    const findings = [
      ...r.findings.new.map((f) => [
        '<span class="change-new">new</span>',
        sev(f.severity),
        code(f.rule),
        esc(f.message),
      ]),
      ...r.findings.changed.map((c) => [
        '<span class="change-changed">changed</span>',
        sev(c.head.severity),
        code(c.head.rule),
        `${esc(c.head.message)} <span class="note">was: ${esc(c.base.message)}</span>`,
      ]),
      ...r.findings.waived.map((f) => [
        '<span class="change-waived">waived</span>',
        sev(f.severity),
        code(f.rule),
        esc(f.message),
      ]),
      ...r.findings.resolved.map((f) => [
        '<span class="change-resolved">resolved</span>',
        sev(f.severity),
        code(f.rule),
        esc(f.message),
      ]),
    ];
    const tf = r.terraform;
    return [
      title,
      r.siteChanges.length
        ? `<table>${head(SITE_COLUMNS)}\n${rows(r.siteChanges.map((s) => siteCells(s).map(esc)))}\n</table>`
        : '',
      r.pools.length
        ? `<table>${head(['pool', 'change', 'nodes', 'accelerators'])}\n${rows(
            r.pools.map((p) => [
              esc(p.name),
              esc(`${p.change}${p.details.length ? ` (${p.details.join('; ')})` : ''}`),
              esc(moved(p.nodes, n, false)),
              esc(signed(p.accelerators.delta, n)),
            ]),
          )}\n</table>`
        : '',
      findings.length
        ? `<table class="findings">${head(['change', 'severity', 'rule', 'finding'])}\n${rows(findings)}\n</table>`
        : '',
      tf ? `<p>${esc(rangeTerraformText(tf))}</p>` : '',
      tf?.recycles.length
        ? `<div class="recycle"><ul>${tf.recycles.map((x) => `<li>${code(x.address)}: ${esc(x.why)}</li>`).join('')}</ul></div>`
        : '',
    ]
      .filter(Boolean)
      .join('\n');
  });

  return `<h2>By date</h2>\n<p>${esc(rangeStartsText(ranges))}</p>\n${sections.join('\n')}`;
}
