/**
 * The numbers a reviewer needs, computed once from the resolved model: accelerators by model, nodes,
 * UltraServers, vCPUs, accelerator memory, power vs envelope, racks, switches and cost. Pure data; the
 * Markdown, HTML and diff renderers only format it. An unknown price is recorded as unknown with the pools
 * it affects, never as $0.
 */
import type { ResolvedPlan, ResolvedPool } from '../model';
import { isSecurityRule } from '../rules/waivers';
import { countBySeverity, waiverSpan, type Diagnostic } from '../util/diagnostic';
import type { TimelineReport } from './timeline';

/** Hours in a month for $/month figures (730 = 8,760 h / 12, the usual cloud-pricing convention). */
export const HOURS_PER_MONTH = 730;

export type PriceBasis = 'on-demand list price (us-east-1)' | 'unknown' | 'not applicable';

export interface PoolReport {
  readonly name: string;
  readonly site: string;
  readonly type: string;
  readonly capacityType: string;
  readonly nodes: number;
  readonly accelerators: number;
  readonly acceleratorModel?: string;
  readonly ultraServers?: number;
  readonly vcpus?: number;
  readonly acceleratorMemoryGiB?: number;
  readonly itKW?: number;
  readonly powerEstimate: boolean;
  /** $/h of the whole pool when known; undefined when unknown or not applicable. */
  readonly usdPerHour?: number;
  readonly priceBasis: PriceBasis;
  /** Why the price is unknown or an approximation. */
  readonly priceNote?: string;
}

export interface SiteReport {
  readonly name: string;
  readonly provider: 'aws' | 'onprem';
  readonly region?: string;
  readonly pools: number;
  readonly nodes: number;
  readonly accelerators: number;
  readonly itMW?: number;
  readonly facilityMW?: number;
  readonly usableMW?: number;
  readonly utilization?: number;
  readonly powerEstimate: boolean;
  readonly racksUsed?: number;
  readonly racksAvailable?: number;
  readonly switches?: number;
  readonly cables?: number;
}

export interface ReportData {
  readonly plan: string;
  /** The plan file, as named on the command line (findings are located in it). */
  readonly file: string;
  readonly catalogVersion: string;
  readonly totals: {
    readonly sites: number;
    readonly pools: number;
    readonly nodes: number;
    readonly accelerators: number;
    readonly ultraServers: number;
    readonly vcpus: number;
    readonly acceleratorMemoryGiB: number;
    readonly itMW: number;
    readonly facilityMW: number;
    /** Sum over pools with a known price; see `pricedPools` and `unknownPrices` before reading it as a total. */
    readonly knownUsdPerHour: number;
    readonly knownUsdPerMonth: number;
    readonly pricedPools: number;
  };
  readonly acceleratorsByModel: Readonly<Record<string, number>>;
  readonly sites: readonly SiteReport[];
  readonly pools: readonly PoolReport[];
  /** Pools whose price is unknown (each with the reason). */
  readonly unknownPrices: readonly { readonly pool: string; readonly reason: string }[];
  /** Racks used and available per hall, for the rack-fill chart. */
  readonly halls: readonly { readonly label: string; readonly used: number; readonly available: number }[];
  readonly estimates: readonly string[];
  /** With a timeline, judged at one date: the date the plan, totals and findings are as of. */
  readonly asOf?: string;
  /** With a timeline: the plan at every judged date, the Gantt and the first breaks. */
  readonly timeline?: TimelineReport;
  /** Every finding, in file order: severity, rule, where, what and the fix (waived ones marked). */
  readonly findings: readonly ReportFinding[];
  /** Every waiver of the plan, in plan order, refused ones marked. */
  readonly waivers: readonly WaiverReport[];
  readonly diagnostics: {
    readonly errors: number;
    readonly warnings: number;
    readonly infos: number;
    readonly waived: number;
    readonly byRule: Readonly<Record<string, number>>;
    /** With `asOf`: unwaived errors on other dates of the timeline, and the first date one holds. */
    readonly otherDates?: { readonly errors: number; readonly from: string };
  };
}

/** A waiver the plan carries, as written, and whether the waiver policy refused it (GW-WAIVER-POLICY). */
export interface WaiverReport {
  readonly rule: string;
  readonly target: string;
  readonly reason: string;
  readonly expires: string;
  readonly from?: string;
  readonly until?: string;
  /** in force; expired (a warning, it waives nothing); refused by the waiver policy (an error, likewise). */
  readonly status: 'in force' | 'expired' | 'refused';
  /**
   * The waived rule is a security rule of the built-in table or the Terraform pack (pipeline/rules/waivers.ts,
   * isSecurityRule): the waiver policy refuses it whatever its expiry.
   */
  readonly security: boolean;
}

export interface ReportFinding {
  readonly severity: Diagnostic['severity'];
  readonly rule: string;
  /** file:line, or the file alone when the finding has no line. */
  readonly where: string;
  readonly path: string;
  readonly message: string;
  readonly fix: string;
  readonly waived?: string;
}

function price(pool: ResolvedPool): Pick<PoolReport, 'usdPerHour' | 'priceBasis' | 'priceNote'> {
  if (pool.kind === 'onprem')
    return { priceBasis: 'not applicable', priceNote: 'owned hardware: no hourly price' };
  if (pool.kind !== 'ec2') return { priceBasis: 'unknown', priceNote: 'instance type not in the catalog' };
  if (pool.capacityType === 'capacity-block')
    return {
      priceBasis: 'unknown',
      priceNote: 'Capacity Block prices are set per reservation and not in the catalog',
    };
  if (pool.capacityType === 'spot')
    return { priceBasis: 'unknown', priceNote: 'spot prices vary and are not in the catalog' };
  if (pool.onDemandUsdPerHour === undefined)
    return { priceBasis: 'unknown', priceNote: `no published on-demand list price for ${pool.typeName}` };
  const region = pool.site?.spec.region;
  return {
    usdPerHour: pool.onDemandUsdPerHour,
    priceBasis: 'on-demand list price (us-east-1)',
    priceNote:
      region && region !== 'us-east-1'
        ? `us-east-1 list price used for ${region}; regional prices may differ`
        : undefined,
  };
}

export function buildReport(
  plan: ResolvedPlan,
  diagnostics: readonly Diagnostic[],
  catalogVersion: string,
  file = 'plan',
): ReportData {
  const pools: PoolReport[] = plan.pools.map((p) => ({
    name: p.name,
    site: p.spec.site,
    type: p.typeName ?? '(none)',
    capacityType: p.kind === 'onprem' ? 'owned' : p.capacityType,
    nodes: p.nodes,
    accelerators: p.accelerators,
    acceleratorModel: p.acceleratorModel,
    ultraServers: p.ultraServers,
    vcpus: p.vcpus,
    acceleratorMemoryGiB: p.acceleratorMemoryGiB,
    itKW: p.itKW,
    powerEstimate: p.powerEstimate,
    ...price(p),
  }));
  const sites: SiteReport[] = plan.sites.map((s) => ({
    name: s.name,
    provider: s.provider,
    region: s.spec.region,
    pools: s.pools.length,
    nodes: s.pools.reduce((n, p) => n + p.nodes, 0),
    accelerators: s.pools.reduce((n, p) => n + p.accelerators, 0),
    itMW: s.envelope?.itMW ?? (s.itKW !== undefined && s.provider === 'onprem' ? s.itKW / 1000 : undefined),
    facilityMW: s.envelope?.facilityMW,
    usableMW: s.envelope?.usableMW ?? s.usableMW,
    utilization: s.envelope?.utilization,
    powerEstimate: s.pools.some((p) => p.powerEstimate),
    racksAvailable: s.halls.length ? s.halls.reduce((n, h) => n + h.spec.racks, 0) : undefined,
    racksUsed: s.placement ? s.placement.halls.reduce((n, h) => n + h.racksUsed, 0) : undefined,
    switches: s.fabrics.some((f) => f.sizing)
      ? s.fabrics.reduce((n, f) => n + (f.sizing?.switches ?? 0), 0)
      : undefined,
    cables: s.fabrics.some((f) => f.sizing)
      ? s.fabrics.reduce(
          (n, f) =>
            n + (f.sizing ? f.sizing.nodeLinks + f.sizing.leafSpineLinks + f.sizing.spineCoreLinks : 0),
          0,
        )
      : undefined,
  }));
  const byRule: Record<string, number> = {};
  for (const d of diagnostics) byRule[d.rule] = (byRule[d.rule] ?? 0) + 1;
  const { errors, warnings, infos, waived } = countBySeverity(diagnostics);
  const knownUsdPerHour = pools.reduce((s, p) => s + (p.usdPerHour ?? 0), 0);
  const estimates = [
    ...plan.pools
      .filter((p) => p.powerEstimate)
      .map((p) => `power of ${p.typeName} in pool ${p.name} is an estimate (catalog)`),
    ...pools
      .filter((p) => p.priceNote && p.usdPerHour !== undefined)
      .map((p) => `pool ${p.name}: ${p.priceNote}`),
  ];
  return {
    plan: plan.name,
    file,
    catalogVersion,
    totals: {
      sites: sites.length,
      pools: pools.length,
      nodes: plan.totals.nodes,
      accelerators: plan.totals.accelerators,
      ultraServers: pools.reduce((s, p) => s + (p.ultraServers ?? 0), 0),
      vcpus: plan.totals.vcpus,
      acceleratorMemoryGiB: plan.totals.acceleratorMemoryGiB,
      itMW: sites.reduce((s, x) => s + (x.itMW ?? 0), 0),
      facilityMW: sites.reduce((s, x) => s + (x.facilityMW ?? 0), 0),
      knownUsdPerHour,
      knownUsdPerMonth: knownUsdPerHour * HOURS_PER_MONTH,
      pricedPools: pools.filter((p) => p.usdPerHour !== undefined).length,
    },
    acceleratorsByModel: plan.totals.acceleratorsByModel,
    sites,
    pools,
    halls: plan.sites.flatMap((s) =>
      (s.placement?.halls ?? []).map((h) => ({
        label: `${s.name}/${h.hall.name}`,
        used: h.racksUsed,
        available: h.racksAvailable,
      })),
    ),
    unknownPrices: pools
      .filter((p) => p.priceBasis === 'unknown')
      .map((p) => ({ pool: p.name, reason: p.priceNote ?? 'unknown' })),
    estimates,
    findings: diagnostics.map((d) => ({
      severity: d.severity,
      rule: d.rule,
      where: `${d.file ?? file}${d.line !== undefined ? `:${d.line}` : ''}`,
      path: d.path,
      message: d.message,
      fix: d.hint,
      ...(d.waiver ? { waived: `${waiverSpan(d.waiver)}: ${d.waiver.reason}` } : {}),
    })),
    waivers: (plan.spec.waivers ?? []).map((w, i) => {
      const about = (rule: string) =>
        diagnostics.some((d) => d.rule === rule && d.path.startsWith(`waivers[${i}].`));
      return {
        rule: w.rule,
        target: w.target,
        reason: w.reason,
        expires: w.expires,
        ...(w.from !== undefined ? { from: w.from } : {}),
        ...(w.until !== undefined ? { until: w.until } : {}),
        status: about('GW-WAIVER-POLICY')
          ? ('refused' as const)
          : about('GW-WAIVER-EXPIRED')
            ? ('expired' as const)
            : ('in force' as const),
        security: isSecurityRule(w.rule, []),
      };
    }),
    diagnostics: { errors, warnings, infos, waived, byRule },
  };
}
