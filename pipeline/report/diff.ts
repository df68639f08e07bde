/**
 * The difference between two plans as a reviewer sees it: every total, pools and sites added, removed or
 * resized (per site: nodes, power against the envelope, racks), new and resolved findings, and the
 * Terraform resources that would be replaced or destroyed.
 */
import { waiverSpan, type Diagnostic } from '../util/diagnostic';
import type { ReportData, WaiverReport } from './data';
import { costText, mw, n, pct, signed, usd } from './format';
import { markdown as md, markdownCode as code } from '../util/safe-text';

export interface Change<T = number> {
  readonly base: T;
  readonly head: T;
  readonly delta: T;
}

export interface PoolChange {
  readonly name: string;
  readonly change: 'added' | 'removed' | 'resized' | 'changed';
  readonly nodes: Change;
  readonly accelerators: Change;
  readonly itKW: Change;
  /** Undefined when either side's price is unknown. */
  readonly usdPerHour?: Change;
  /** An on-prem pool: no hourly price on either side. */
  readonly owned: boolean;
  readonly details: readonly string[];
}

/**
 * The cells of a pool's row, as text, in the order of POOL_COLUMNS. An AWS pool draws no power the plan
 * accounts for (AWS owns it), as the site table says; an on-prem pool has no hourly price.
 */
export const POOL_COLUMNS = ['pool', 'change', 'nodes', 'accelerators', 'IT power', '$/h'] as const;
export function poolCells(p: PoolChange): string[] {
  const aws = !p.owned && p.itKW.base === 0 && p.itKW.head === 0;
  return [
    p.name,
    `${p.change}${p.details.length ? ` (${p.details.join('; ')})` : ''}`,
    moved(p.nodes, n, false),
    signed(p.accelerators.delta, n),
    aws ? 'AWS-owned' : signed(p.itKW.delta / 1000, mw),
    p.owned ? 'n/a' : p.usdPerHour ? signed(p.usdPerHour.delta, usd) : 'unknown',
  ];
}

/** A figure that one side may not have (an AWS site has no power envelope; a new site has no base). */
export interface MaybeChange {
  readonly base?: number;
  readonly head?: number;
  /** head − base, when both sides have the figure. */
  readonly delta?: number;
}

/** One site whose figures differ between the plans: nodes, power against its envelope, racks. */
export interface SiteChange {
  readonly name: string;
  readonly provider: 'aws' | 'onprem';
  readonly change: 'added' | 'removed' | 'changed';
  readonly nodes: Change;
  readonly accelerators: Change;
  /** On-prem IT load (MW); absent on AWS sites, whose power AWS owns. */
  readonly itMW: MaybeChange;
  readonly facilityMW: MaybeChange;
  readonly usableMW: MaybeChange;
  /** Share of the usable envelope the facility load takes (0.5 = 50 %). */
  readonly utilization: MaybeChange;
  readonly racksUsed: MaybeChange;
  readonly racksAvailable: MaybeChange;
  /** Provider or region changes. */
  readonly details: readonly string[];
}

/** A change that takes accelerator nodes away, and why. */
export interface Recycle {
  readonly address: string;
  readonly why: string;
}

export interface TerraformChanges {
  readonly added: readonly string[];
  /** Addresses kept whose arguments change in place. */
  readonly updated: readonly string[];
  readonly destroyed: readonly string[];
  /** Addresses kept whose change forces a new resource (e.g. node group instance types). */
  readonly replaced: readonly string[];
  /** Changes that destroy, replace or roll nodes (gigawatt diff --fail-on-recycle fails on them). */
  readonly recycles: readonly Recycle[];
}

export interface PlanDiff {
  readonly base: string;
  readonly head: string;
  /** The plan files the findings are located in. */
  readonly files: { readonly base: string; readonly head: string };
  readonly totals: Readonly<
    Record<
      | 'nodes'
      | 'accelerators'
      | 'ultraServers'
      | 'vcpus'
      | 'acceleratorMemoryGiB'
      | 'itMW'
      | 'facilityMW'
      | 'knownUsdPerHour'
      | 'knownUsdPerMonth',
      Change
    >
  >;
  readonly unknownPrices: { readonly base: number; readonly head: number };
  readonly pricedPools: { readonly base: number; readonly head: number };
  readonly sites: { readonly added: readonly string[]; readonly removed: readonly string[] };
  /** Every site added, removed, or with a figure that differs, by name. */
  readonly siteChanges: readonly SiteChange[];
  readonly pools: readonly PoolChange[];
  readonly findings: {
    readonly new: readonly Diagnostic[];
    readonly resolved: readonly Diagnostic[];
    /**
     * Findings the base plan reports and the head plan waives (same rule and target): the head's finding,
     * with its waiver. Not resolved: the condition still holds.
     */
    readonly waived: readonly Diagnostic[];
    /** Same rule and target, different message (a number moved) or severity. */
    readonly changed: readonly { readonly base: Diagnostic; readonly head: Diagnostic }[];
  };
  /**
   * Waivers the change adds, changes (same rule and target, another reason, expiry or dates) or removes:
   * a reviewer must see every finding the head plan stops reporting.
   */
  readonly waivers: {
    readonly added: readonly WaiverReport[];
    readonly changed: readonly { readonly base: WaiverReport; readonly head: WaiverReport }[];
    readonly removed: readonly WaiverReport[];
  };
  readonly terraform?: TerraformChanges;
  /** With a timeline on either side: constraints whose first break moved (undefined date: never breaks). */
  readonly timeline?: readonly TimelineMove[];
  /**
   * With a timeline on either side: the plans compared at every date where either changes, from the
   * first date at which both have started.
   */
  readonly ranges?: RangeDiffs;
}

/** The two plans compared on one range of dates, over which neither changes. */
export interface RangeDiff {
  /** The range: from `date`, until `until` (absent: on). */
  readonly date: string;
  readonly until?: string;
  readonly findings: PlanDiff['findings'];
  readonly siteChanges: readonly SiteChange[];
  readonly pools: readonly PoolChange[];
  readonly terraform?: TerraformChanges;
}

export interface RangeDiffs {
  /** Each side's first date (absent: the side has no timeline and stands as written at every date). */
  readonly starts: { readonly base?: string; readonly head?: string };
  readonly ranges: readonly RangeDiff[];
}

/** Whether a range shows no difference at all. */
export const rangeUnchanged = (r: RangeDiff): boolean =>
  !r.findings.new.length &&
  !r.findings.resolved.length &&
  !r.findings.waived.length &&
  !r.findings.changed.length &&
  !r.siteChanges.length &&
  !r.pools.length &&
  (!r.terraform ||
    !(
      r.terraform.added.length +
      r.terraform.updated.length +
      r.terraform.replaced.length +
      r.terraform.destroyed.length
    ));

/** One side of a range: the plan's report and its findings on that range. */
export interface RangeSide {
  readonly report: ReportData;
  readonly findings: readonly Diagnostic[];
}

/**
 * Compare two plans on every range between consecutive `instants` (epoch ms, sorted, the union of both
 * timelines' dates): `side` gives a plan's report and findings at an instant, `terraform` the Terraform
 * changes between the two at that instant.
 */
export function rangeDiffs(
  instants: readonly number[],
  label: (at: number) => string,
  side: (which: 'base' | 'head', at: number) => RangeSide,
  terraform?: (at: number) => TerraformChanges,
): RangeDiff[] {
  return instants.map((at, i) => {
    const a = side('base', at);
    const b = side('head', at);
    const next = instants[i + 1];
    return {
      date: label(at),
      ...(next !== undefined ? { until: label(next) } : {}),
      findings: matchFindings(a.findings, b.findings),
      siteChanges: siteChanges(a.report, b.report),
      pools: poolChanges(a.report, b.report),
      ...(terraform ? { terraform: terraform(at) } : {}),
    };
  });
}

/** A span of a first break: from `date`, until `until` (absent: on). */
export interface BreakSpan {
  readonly date: string;
  readonly until?: string;
}

export interface TimelineMove {
  readonly rule: string;
  readonly target: string;
  readonly severity: 'error' | 'warning';
  /** Waived and unwaived ranges of a constraint are compared apart. */
  readonly waived: boolean;
  /** Absent: the constraint never breaks (so waived, or unwaived) on that side. */
  readonly base?: BreakSpan;
  readonly head?: BreakSpan;
}

const spanText = (s?: BreakSpan): string =>
  !s ? 'never' : s.until ? `from ${s.date} until ${s.until}` : `from ${s.date} on`;

/** Constraints whose first break, waived or unwaived, differs between two timelines. */
export function timelineMoves(base: ReportData, head: ReportData): TimelineMove[] | undefined {
  if (!base.timeline && !head.timeline) return undefined;
  const first = (r: ReportData) =>
    new Map((r.timeline?.breaks ?? []).map((b) => [`${b.rule}|${b.target}|${b.waived ? 1 : 0}`, b]));
  const a = first(base);
  const b = first(head);
  const moves: TimelineMove[] = [];
  for (const k of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(k);
    const y = b.get(k);
    if (x?.date === y?.date && x?.until === y?.until) continue;
    const span = (v?: BreakSpan) => v && { date: v.date, until: v.until };
    const { rule, target, severity, waived } = (y ?? x)!;
    moves.push({ rule, target, severity, waived, base: span(x), head: span(y) });
  }
  return moves;
}

/**
 * Unwaived findings of the head timeline at or above a severity (`atLeast`) on any date, for a rule and
 * target with no such finding on any date of the base: what the change adds that validate would fail on.
 */
export function newOnTimeline(
  baseFindings: readonly Diagnostic[],
  headFindings: readonly Diagnostic[],
  atLeast: (severity: Diagnostic['severity']) => boolean,
): Diagnostic[] {
  const failing = (list: readonly Diagnostic[]) => list.filter((d) => !d.waiver && atLeast(d.severity));
  const before = new Set(failing(baseFindings).map(subject));
  return failing(headFindings).filter((d) => !before.has(subject(d)));
}

const change = (base: number, head: number): Change => ({ base, head, delta: head - base });
const maybe = (base?: number, head?: number): MaybeChange => ({
  ...(base !== undefined ? { base } : {}),
  ...(head !== undefined ? { head } : {}),
  ...(base !== undefined && head !== undefined ? { delta: head - base } : {}),
});

/** Sites added, removed, or whose nodes, accelerators, power, envelope or racks differ. */
export function siteChanges(base: ReportData, head: ReportData): SiteChange[] {
  const a = new Map(base.sites.map((s) => [s.name, s]));
  const b = new Map(head.sites.map((s) => [s.name, s]));
  const out: SiteChange[] = [];
  for (const name of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(name);
    const y = b.get(name);
    const figure = (k: 'itMW' | 'facilityMW' | 'usableMW' | 'utilization' | 'racksUsed' | 'racksAvailable') =>
      maybe(x?.[k], y?.[k]);
    const details: string[] = [];
    if (x && y && x.provider !== y.provider) details.push(`provider ${x.provider} → ${y.provider}`);
    if (x && y && x.region !== y.region) details.push(`region ${x.region ?? '—'} → ${y.region ?? '—'}`);
    const c: SiteChange = {
      name,
      provider: (y ?? x)!.provider,
      change: !x ? 'added' : !y ? 'removed' : 'changed',
      nodes: change(x?.nodes ?? 0, y?.nodes ?? 0),
      accelerators: change(x?.accelerators ?? 0, y?.accelerators ?? 0),
      itMW: figure('itMW'),
      facilityMW: figure('facilityMW'),
      usableMW: figure('usableMW'),
      utilization: figure('utilization'),
      racksUsed: figure('racksUsed'),
      racksAvailable: figure('racksAvailable'),
      details,
    };
    const same = (m: MaybeChange) => m.base === m.head;
    if (
      x &&
      y &&
      !details.length &&
      c.nodes.delta === 0 &&
      c.accelerators.delta === 0 &&
      [c.itMW, c.facilityMW, c.usableMW, c.utilization, c.racksUsed, c.racksAvailable].every(same)
    )
      continue;
    out.push(c);
  }
  return out;
}
/** What a finding is about: its rule and target (the same key a waiver matches). */
const subject = (d: Diagnostic): string => `${d.rule}|${d.target ?? d.path}`;

/**
 * Findings matched by rule and target: same message = unchanged; a finding of the same rule and target
 * whose message (e.g. a number) differs = changed; the rest are new or resolved, except that a base finding
 * the head plan waives is "waived", not resolved. Other waived findings are left out.
 */
export function matchFindings(
  baseFindings: readonly Diagnostic[],
  headFindings: readonly Diagnostic[],
): PlanDiff['findings'] {
  const group = (list: readonly Diagnostic[]) => {
    const m = new Map<string, Diagnostic[]>();
    for (const d of list.filter((x) => !x.waiver)) m.set(subject(d), [...(m.get(subject(d)) ?? []), d]);
    return m;
  };
  const baseBy = group(baseFindings);
  const headBy = group(headFindings);
  const added: Diagnostic[] = [];
  const resolved: Diagnostic[] = [];
  const changed: { base: Diagnostic; head: Diagnostic }[] = [];
  for (const k of [...new Set([...baseBy.keys(), ...headBy.keys()])]) {
    const b = [...(baseBy.get(k) ?? [])];
    const h: Diagnostic[] = [];
    for (const d of headBy.get(k) ?? []) {
      const i = b.findIndex((x) => x.message === d.message);
      if (i >= 0) b.splice(i, 1);
      else h.push(d);
    }
    const pairs = Math.min(b.length, h.length);
    for (let i = 0; i < pairs; i++) changed.push({ base: b[i]!, head: h[i]! });
    added.push(...h.slice(pairs));
    resolved.push(...b.slice(pairs));
  }
  // A base finding whose rule and target the head plan reports waived: the head's waived finding stands
  // for it (the first one of that subject), and it leaves the resolved list.
  const headWaived = new Map<string, Diagnostic>();
  for (const d of headFindings) if (d.waiver && !headWaived.has(subject(d))) headWaived.set(subject(d), d);
  const waived = [...new Set(resolved.map(subject))].flatMap((k) => {
    const w = headWaived.get(k);
    return w ? [w] : [];
  });
  const order = (list: Diagnostic[]) => list.sort((x, y) => subject(x).localeCompare(subject(y)));
  return {
    new: order(added),
    resolved: order(resolved.filter((d) => !headWaived.has(subject(d)))),
    waived: order(waived),
    changed: changed.sort((x, y) => subject(x.head).localeCompare(subject(y.head))),
  };
}

/** Waivers matched by rule and target: identical ones are unchanged; the rest pair up as changed, or not. */
export function matchWaivers(
  base: readonly WaiverReport[],
  head: readonly WaiverReport[],
): PlanDiff['waivers'] {
  const key = (w: WaiverReport) => `${w.rule}|${w.target}`;
  const same = (a: WaiverReport, b: WaiverReport) => JSON.stringify(a) === JSON.stringify(b);
  const added: WaiverReport[] = [];
  const removed: WaiverReport[] = [];
  const changed: { base: WaiverReport; head: WaiverReport }[] = [];
  for (const k of [...new Set([...base, ...head].map(key))].sort()) {
    const b = base.filter((w) => key(w) === k);
    const h: WaiverReport[] = [];
    for (const w of head.filter((x) => key(x) === k)) {
      const i = b.findIndex((x) => same(x, w));
      if (i >= 0) b.splice(i, 1);
      else h.push(w);
    }
    const pairs = Math.min(b.length, h.length);
    for (let i = 0; i < pairs; i++) changed.push({ base: b[i]!, head: h[i]! });
    added.push(...h.slice(pairs));
    removed.push(...b.slice(pairs));
  }
  return { added, changed, removed };
}

/** A waiver in one line of Markdown: rule, target, dates, expiry, reason (and why it was refused). */
export const waiverText = (w: WaiverReport): string =>
  `${code(w.rule)} for ${md(w.target)}${w.from || w.until ? ` (plan dates ${w.from ?? '…'} to ${w.until ?? '…'})` : ''} until ${md(w.expires)}: ${md(w.reason)}${w.status === 'in force' ? '' : ` (${w.status === 'refused' ? 'refused by the waiver policy' : 'expired'})`}`;

/** Pools added, removed, resized, or whose type, capacity or site changed, by name. */
export function poolChanges(base: ReportData, head: ReportData): PoolChange[] {
  const basePools = new Map(base.pools.map((p) => [p.name, p]));
  const headPools = new Map(head.pools.map((p) => [p.name, p]));
  const pools: PoolChange[] = [];
  for (const name of [...new Set([...basePools.keys(), ...headPools.keys()])].sort()) {
    const a = basePools.get(name);
    const b = headPools.get(name);
    const details: string[] = [];
    if (a && b) {
      if (a.type !== b.type) details.push(`type ${a.type} → ${b.type}`);
      if (a.capacityType !== b.capacityType) details.push(`capacity ${a.capacityType} → ${b.capacityType}`);
      if (a.site !== b.site) details.push(`site ${a.site} → ${b.site}`);
      if (a.nodes === b.nodes && !details.length) continue;
    }
    // A missing side costs 0; an owned (on-prem) pool has no hourly price; an unknown price stays unknown.
    const price = (p?: { usdPerHour?: number; priceBasis: string }) =>
      p === undefined || p.priceBasis === 'not applicable' ? 0 : p.usdPerHour;
    const pa = price(a);
    const pb = price(b);
    const owned = [a, b].every((p) => p === undefined || p.priceBasis === 'not applicable');
    pools.push({
      name,
      change: !a ? 'added' : !b ? 'removed' : a.nodes !== b.nodes ? 'resized' : 'changed',
      nodes: change(a?.nodes ?? 0, b?.nodes ?? 0),
      accelerators: change(a?.accelerators ?? 0, b?.accelerators ?? 0),
      itKW: change(a?.itKW ?? 0, b?.itKW ?? 0),
      usdPerHour: pa !== undefined && pb !== undefined ? change(pa, pb) : undefined,
      owned,
      details,
    });
  }
  return pools;
}

export function diffReports(
  base: ReportData,
  head: ReportData,
  baseFindings: readonly Diagnostic[],
  headFindings: readonly Diagnostic[],
  terraform?: TerraformChanges,
): PlanDiff {
  const totals = Object.fromEntries(
    (
      [
        'nodes',
        'accelerators',
        'ultraServers',
        'vcpus',
        'acceleratorMemoryGiB',
        'itMW',
        'facilityMW',
        'knownUsdPerHour',
        'knownUsdPerMonth',
      ] as const
    ).map((k) => [k, change(base.totals[k], head.totals[k])]),
  ) as PlanDiff['totals'];
  const baseSites = new Set(base.sites.map((s) => s.name));
  const headSites = new Set(head.sites.map((s) => s.name));
  return {
    base: base.plan,
    head: head.plan,
    files: { base: base.file, head: head.file },
    totals,
    unknownPrices: { base: base.unknownPrices.length, head: head.unknownPrices.length },
    pricedPools: { base: base.totals.pricedPools, head: head.totals.pricedPools },
    sites: {
      added: [...headSites].filter((s) => !baseSites.has(s)).sort(),
      removed: [...baseSites].filter((s) => !headSites.has(s)).sort(),
    },
    siteChanges: siteChanges(base, head),
    pools: poolChanges(base, head),
    findings: matchFindings(baseFindings, headFindings),
    waivers: matchWaivers(base.waivers, head.waivers),
    terraform,
    timeline: timelineMoves(base, head),
  };
}

/** `base → head (±delta)`, or the one value when it did not move; — for a side without the figure. */
export function moved(c: MaybeChange, f: (v: number | undefined) => string, withDelta = true): string {
  if (c.base === c.head) return f(c.head);
  const delta = withDelta && c.delta !== undefined ? ` (${signed(c.delta, f)})` : '';
  return `${f(c.base)} → ${f(c.head)}${delta}`;
}

const racksOf = (used?: number, available?: number): string =>
  available === undefined ? '—' : `${n(used)} / ${n(available)}`;

/** The totals a diff shows, with their formats: cost rows only when either side has priced pools. */
export function diffTotalRows(d: PlanDiff): [string, Change, (v: number) => string][] {
  const t = d.totals;
  const rows: [string, Change, (v: number) => string][] = [
    ['nodes', t.nodes, n],
    ['accelerators', t.accelerators, n],
    ['UltraServers', t.ultraServers, n],
    ['vCPUs', t.vcpus, n],
    ['accelerator memory (GiB)', t.acceleratorMemoryGiB, n],
    ['IT power', t.itMW, mw],
    ['facility power', t.facilityMW, mw],
  ];
  if (d.pricedPools.base + d.pricedPools.head > 0)
    rows.push(['known cost $/h', t.knownUsdPerHour, usd], ['known cost $/month', t.knownUsdPerMonth, usd]);
  return rows;
}

/** Column headers of the per-site table, and the text of each cell of one site (not escaped). */
export const SITE_COLUMNS = [
  'site',
  'change',
  'nodes',
  'accelerators',
  'IT',
  'facility',
  'usable',
  'load',
  'racks',
] as const;
export function siteCells(s: SiteChange): string[] {
  const aws = s.provider === 'aws' && s.itMW.base === undefined && s.itMW.head === undefined;
  const r = (side: 'base' | 'head') => racksOf(s.racksUsed[side], s.racksAvailable[side]);
  return [
    s.name,
    `${s.change}${s.details.length ? ` (${s.details.join('; ')})` : ''}`,
    moved(s.nodes, n),
    moved(s.accelerators, n),
    aws ? 'AWS-owned' : moved(s.itMW, mw),
    aws ? '—' : moved(s.facilityMW, mw),
    aws ? '—' : moved(s.usableMW, mw),
    aws ? '—' : moved(s.utilization, pct, false),
    r('base') === r('head') ? r('head') : `${r('base')} → ${r('head')}`,
  ];
}

/** Where a finding is: `file:line` and its plan path, in the file of the side it was found on. */
const whereText = (file: string, f: Diagnostic): string =>
  `${code(`${f.file ?? file}${f.line !== undefined ? `:${f.line}` : ''}`)} ${md(f.path)}`;

/**
 * One bullet per new, changed and resolved finding, each with its rule, severity, file:line and plan
 * path (in head; a resolved one in base) and, for the ones a reviewer must act on, the fix.
 */
function findingLines(f: PlanDiff['findings'], files: PlanDiff['files']): string[] {
  const out: string[] = [];
  for (const x of f.new)
    out.push(
      `- 🆕 **${x.severity}** ${code(x.rule)} ${md(x.message)} — at ${whereText(files.head, x)} — fix: ${md(x.hint)}`,
    );
  for (const c of f.changed)
    out.push(
      `- 🔁 changed **${c.head.severity}** ${code(c.head.rule)} ${md(c.head.message)} (was${c.base.severity !== c.head.severity ? ` ${c.base.severity}:` : ':'} ${md(c.base.message)}) — at ${whereText(files.head, c.head)} — fix: ${md(c.head.hint)}`,
    );
  for (const x of f.waived)
    out.push(
      `- 🔕 waived **${x.severity}** ${code(x.rule)} ${md(x.message)} — at ${whereText(files.head, x)} — waiver ${md(waiverSpan(x.waiver!))}: ${md(x.waiver!.reason)}`,
    );
  for (const x of f.resolved)
    out.push(`- ✅ resolved ${code(x.rule)} ${md(x.message)} — was at ${whereText(files.base, x)}`);
  return out;
}

export function diffMarkdown(d: PlanDiff): string {
  const t = d.totals;
  const out = [`## gigawatt diff: ${md(d.base)} → ${md(d.head)}`, ''];
  out.push(
    `**${signed(t.accelerators.delta, n)} accelerators** (${n(t.accelerators.head)} total) · IT ${signed(t.itMW.delta, mw)} · facility ${signed(t.facilityMW.delta, mw)} · cost ${d.pricedPools.base + d.pricedPools.head ? `${signed(t.knownUsdPerHour.delta, usd)}/h on priced pools` : 'unknown'} · head cost ${costText(t.knownUsdPerHour.head, d.pricedPools.head, d.unknownPrices.head)}`,
    '',
  );
  out.push('| total | base | head | change |', '|---|---:|---:|---:|');
  for (const [label, c, f] of diffTotalRows(d))
    out.push(`| ${md(label)} | ${f(c.base)} | ${f(c.head)} | ${signed(c.delta, f)} |`);
  out.push('');
  if (d.sites.added.length || d.sites.removed.length)
    out.push(
      `Sites added: ${d.sites.added.map(md).join(', ') || 'none'} · removed: ${d.sites.removed.map(md).join(', ') || 'none'}`,
      '',
    );
  if (d.siteChanges.length) {
    out.push(
      '### Sites',
      '',
      `| ${SITE_COLUMNS.join(' | ')} |`,
      `|---|---|${SITE_COLUMNS.slice(2)
        .map(() => '---:')
        .join('|')}|`,
    );
    for (const s of d.siteChanges) out.push(`| ${siteCells(s).map(md).join(' | ')} |`);
    out.push('');
  }
  if (d.pools.length) {
    out.push('### Pools', '', `| ${POOL_COLUMNS.join(' | ')} |`, '|---|---|---:|---:|---:|---:|');
    for (const p of d.pools) out.push(`| ${poolCells(p).map(md).join(' | ')} |`);
    out.push('');
  }
  if (
    d.findings.new.length ||
    d.findings.resolved.length ||
    d.findings.waived.length ||
    d.findings.changed.length
  ) {
    out.push('### Findings', '', ...findingLines(d.findings, d.files), '');
  }
  const w = d.waivers;
  if (w.added.length || w.changed.length || w.removed.length) {
    out.push('### Waivers', '');
    for (const x of w.added) out.push(`- 🆕 added ${waiverText(x)}`);
    for (const c of w.changed)
      out.push(`- 🔁 changed ${waiverText(c.head)} (was: until ${md(c.base.expires)}: ${md(c.base.reason)})`);
    for (const x of w.removed) out.push(`- ➖ removed ${waiverText(x)}`);
    out.push('');
  }
  if (d.timeline?.length) {
    out.push('### Timeline', '');
    for (const m of d.timeline)
      out.push(
        `- ${code(m.rule)} ${md(m.target)}: breaks (${m.waived ? 'waived' : 'unwaived'}) ${spanText(m.head)} instead of ${spanText(m.base)}`,
      );
    out.push('');
  }
  if (d.terraform) {
    const tf = d.terraform;
    out.push(
      '### Terraform',
      '',
      `${tf.added.length} added, ${tf.updated.length} updated in place, ${tf.replaced.length} replaced, ${tf.destroyed.length} destroyed.`,
      '',
    );
    if (tf.recycles.length) {
      out.push(`> ⚠️ **${tf.recycles.length} change(s) recycle nodes:**`);
      for (const r of tf.recycles) out.push(`> - ${code(r.address)}: ${md(r.why)}`);
      out.push('');
    }
    for (const a of tf.added) out.push(`- ➕ added ${code(a)}`);
    for (const a of tf.updated) out.push(`- ✏️ updated ${code(a)}`);
    for (const a of tf.replaced) out.push(`- ♻️ replaced ${code(a)}`);
    for (const a of tf.destroyed) out.push(`- 🗑️ destroyed ${code(a)}`);
    out.push('');
  }
  if (d.ranges) out.push(...rangesMarkdown(d.ranges, d.files));
  return out.join('\n');
}

/**
 * The ranges as a reader sees them: consecutive ranges without a difference joined into one (from the
 * first one's date until the last one's end), the others as they are.
 */
export function rangeRuns(ranges: readonly RangeDiff[]): (RangeDiff & { unchanged: boolean })[] {
  const out: (RangeDiff & { unchanged: boolean })[] = [];
  for (const r of ranges) {
    const unchanged = rangeUnchanged(r);
    const last = out.at(-1);
    if (unchanged && last?.unchanged) {
      const joined: RangeDiff & { unchanged: boolean } = { ...last };
      if (r.until !== undefined) out[out.length - 1] = { ...joined, until: r.until };
      else {
        delete (joined as { until?: string }).until;
        out[out.length - 1] = joined;
      }
    } else out.push({ ...r, unchanged });
  }
  return out;
}

/** `from 2027-01-04 until 2027-04-05`, or `from 2028-05-01 on`. */
export const rangeText = (r: Pick<RangeDiff, 'date' | 'until'>): string =>
  r.until ? `from ${r.date} until ${r.until}` : `from ${r.date} on`;

/** What both plans start from, in words. */
export function rangeStartsText(d: RangeDiffs): string {
  const side = (name: string, at?: string) => `${name} ${at ? `from ${at}` : 'as written (no timeline)'}`;
  return `Compared at every date where either plan changes: ${side('base', d.starts.base)}, ${side('head', d.starts.head)}.`;
}

/** One line per Terraform count of a range, and its recycle warnings. */
export const rangeTerraformText = (tf: TerraformChanges): string =>
  `Terraform: ${tf.added.length} added, ${tf.updated.length} updated in place, ${tf.replaced.length} replaced, ${tf.destroyed.length} destroyed.`;

function rangesMarkdown(d: RangeDiffs, files: PlanDiff['files']): string[] {
  const out = ['### By date', '', rangeStartsText(d), ''];
  for (const r of rangeRuns(d.ranges)) {
    out.push(`#### ${rangeText(r)}`, '');
    if (r.unchanged) {
      out.push('No difference.', '');
      continue;
    }
    if (r.siteChanges.length) {
      out.push(
        `| ${SITE_COLUMNS.join(' | ')} |`,
        `|---|---|${SITE_COLUMNS.slice(2)
          .map(() => '---:')
          .join('|')}|`,
      );
      for (const s of r.siteChanges) out.push(`| ${siteCells(s).join(' | ')} |`);
      out.push('');
    }
    for (const p of r.pools)
      out.push(
        `- pool ${p.name} ${p.change}${p.details.length ? ` (${p.details.join('; ')})` : ''}: ${n(p.nodes.base)} → ${n(p.nodes.head)} nodes (${signed(p.accelerators.delta, n)} accelerators)`,
      );
    out.push(...findingLines(r.findings, files));
    if (r.terraform) {
      out.push(`- ${rangeTerraformText(r.terraform)}`);
      for (const x of r.terraform.recycles) out.push(`  - ⚠️ \`${x.address}\`: ${x.why}`);
    }
    out.push('');
  }
  return out;
}
