/**
 * The plan over time. A plan's `timeline` is a list of dated phases; from its date on, a phase sets the
 * fields it names on the named sites, halls and pools. The plan as it stands at an instant is the written
 * plan with every phase dated at or before that instant applied in date order (phases with the same date
 * in file order). Names never change, so stacks and addresses stay stable across dates: only sizes do.
 *
 * Pure functions over the schema-valid plan: no cdktf, no constructs, no AWS SDK.
 */
import type { ClusterPlan, PhaseSpec, PoolSpec, SiteSpec, WaiverSpec } from '../schema/plan-schema';

export const DAY_MS = 86_400_000;

/** Epoch milliseconds of a plan date: `2027-03-01` is midnight UTC, date-times carry their own offset. */
export const planInstant = (when: string): number => Date.parse(when);

/** The label of an instant: `2027-03-01` at midnight UTC, `2027-03-01T11:30Z` otherwise. */
export function dateLabel(ms: number): string {
  const iso = new Date(ms).toISOString();
  if (ms % DAY_MS === 0) return iso.slice(0, 10);
  return iso.endsWith(':00.000Z') ? `${iso.slice(0, 16)}Z` : iso;
}

/** Phases in the order they apply: by instant, then by position in the file. */
export function orderedPhases(spec: ClusterPlan): { phase: PhaseSpec; index: number; at: number }[] {
  return (spec.timeline ?? [])
    .map((phase, index) => ({ phase, index, at: planInstant(phase.date) }))
    .filter((p) => Number.isFinite(p.at))
    .sort((a, b) => a.at - b.at || a.index - b.index);
}

/** Capacity Block start and end instants of the written plan: declared blocks and inline ones on pools. */
function capacityBounds(spec: ClusterPlan): number[] {
  const windows = [
    ...(spec.reservations ?? []).filter((r) => r.type === 'capacity-block'),
    ...spec.pools.map((p) => p.capacity).filter((c) => c?.type === 'capacity-block'),
  ];
  return windows
    .flatMap((w) => [w?.start, w?.end])
    .filter((t): t is string => t !== undefined)
    .map(planInstant)
    .filter(Number.isFinite);
}

/** The instant after the last day a waiver's `until` names. */
export const untilInstant = (until: string): number => planInstant(until) + DAY_MS;

/** Whether a waiver is in effect at plan instant `at`: from its `from` day through its `until` day. */
export const waiverInEffect = (w: WaiverSpec, at: number): boolean =>
  (w.from === undefined || planInstant(w.from) <= at) &&
  (w.until === undefined || at < untilInstant(w.until));

/** Where dated waivers start and stop covering (a waiver's `until` day is covered to its end). */
function waiverBounds(spec: ClusterPlan): number[] {
  const out: number[] = [];
  for (const w of spec.waivers ?? []) {
    if (w.from !== undefined) out.push(planInstant(w.from));
    if (w.until !== undefined) out.push(untilInstant(w.until));
  }
  return out.filter(Number.isFinite);
}

/**
 * The instants at which the plan is judged: every phase date, and every Capacity Block start and end and
 * dated-waiver bound at or after the first phase (each changes what may run or what is covered). Sorted,
 * unique. Empty when the plan has no timeline: such a plan is one instant, judged as written.
 */
export function evaluationInstants(spec: ClusterPlan): number[] {
  const phases = orderedPhases(spec);
  if (!phases.length) return [];
  const first = phases[0]!.at;
  const bounds = [...capacityBounds(spec), ...waiverBounds(spec)].filter((t) => t >= first);
  const all = [...phases.map((p) => p.at), ...bounds];
  return [...new Set(all)].sort((a, b) => a - b);
}

/** The first phase instant, or undefined without a timeline. */
export const timelineStart = (spec: ClusterPlan): number | undefined => orderedPhases(spec)[0]?.at;

function patchSite(site: SiteSpec, patch: NonNullable<PhaseSpec['sites']>[number]): SiteSpec {
  const next: SiteSpec = { ...site };
  if (patch.quotas) next.quotas = { ...site.quotas, ...patch.quotas };
  if (patch.spotQuotas) next.spotQuotas = { ...site.spotQuotas, ...patch.spotQuotas };
  // A phase changes a power block the site has; it cannot invent one (GW-PLAN-TIMELINE reports it).
  if (patch.power && site.power) next.power = { ...site.power, ...patch.power };
  if (patch.halls && site.halls) {
    const byName = new Map(patch.halls.map((h) => [h.name, h]));
    next.halls = site.halls.map((h) => {
      const hp = byName.get(h.name);
      if (!hp) return h;
      return { ...h, ...hp, name: h.name };
    });
  }
  return next;
}

function patchPool(pool: PoolSpec, patch: NonNullable<PhaseSpec['pools']>[number]): PoolSpec {
  const next: PoolSpec = { ...pool };
  if (patch.instances !== undefined) next.instances = patch.instances;
  if (patch.nodes !== undefined) next.nodes = patch.nodes;
  return next;
}

/**
 * The plan as it stands at `at` (epoch ms): the written plan with every phase dated at or before it
 * applied. Elements no phase touches are shared with the written plan, not copied, so a 24-phase plan of
 * thousands of pools costs little more than one. Unknown names in a phase are ignored here and reported
 * by GW-PLAN-TIMELINE.
 */
export function planAt(spec: ClusterPlan, at: number): ClusterPlan {
  const phases = orderedPhases(spec).filter((p) => p.at <= at);
  if (!phases.length) return spec;
  const sites = new Map<string, SiteSpec>();
  const pools = new Map<string, PoolSpec>();
  const siteIndex = new Map(spec.sites.map((s, i) => [s.name, i]));
  const poolIndex = new Map(spec.pools.map((p, i) => [p.name, i]));
  for (const { phase } of phases) {
    for (const patch of phase.sites ?? []) {
      const i = siteIndex.get(patch.name);
      if (i === undefined) continue;
      sites.set(patch.name, patchSite(sites.get(patch.name) ?? spec.sites[i]!, patch));
    }
    for (const patch of phase.pools ?? []) {
      const i = poolIndex.get(patch.name);
      if (i === undefined) continue;
      pools.set(patch.name, patchPool(pools.get(patch.name) ?? spec.pools[i]!, patch));
    }
  }
  return {
    ...spec,
    sites: spec.sites.map((s) => sites.get(s.name) ?? s),
    pools: spec.pools.map((p) => pools.get(p.name) ?? p),
  };
}

/** A pool's count as the plan states it (instances on AWS, nodes on-prem). */
const countOf = (p: { instances?: number; nodes?: number }): number => p.instances ?? p.nodes ?? 0;

/**
 * The most nodes each pool has at any judged instant of the timeline. Node groups and subnets are sized
 * for this peak, so the synthesized stacks keep their resources and addresses at every date.
 */
export function poolPeaks(spec: ClusterPlan): Map<string, number> {
  const instants = evaluationInstants(spec);
  const peaks = new Map<string, number>();
  for (const at of instants)
    for (const p of planAt(spec, at).pools) peaks.set(p.name, Math.max(peaks.get(p.name) ?? 0, countOf(p)));
  return peaks;
}

/** Where a field of the plan at `at` was last set: the timeline path that set it, if a phase did. */
export function phaseSource(
  spec: ClusterPlan,
  at: number,
  path: readonly (string | number)[],
): (string | number)[] | undefined {
  const [head, index, ...rest] = path;
  if (typeof index !== 'number' || !rest.length) return undefined;
  const phases = orderedPhases(spec)
    .filter((p) => p.at <= at)
    .reverse();
  if (head === 'pools') {
    const name = spec.pools[index]?.name;
    const key = rest[0];
    for (const { phase, index: k } of phases) {
      const j = (phase.pools ?? []).findIndex((p) => p.name === name && key in p);
      if (j >= 0) return ['timeline', k, 'pools', j, key!];
    }
  }
  if (head === 'sites') {
    const site = spec.sites[index];
    for (const { phase, index: k } of phases) {
      const j = (phase.sites ?? []).findIndex((s) => s.name === site?.name);
      if (j < 0) continue;
      const patch = phase.sites![j]!;
      if (rest[0] === 'power' && patch.power && (rest[1] === undefined || String(rest[1]) in patch.power))
        return ['timeline', k, 'sites', j, 'power', ...(rest[1] !== undefined ? [rest[1]] : [])];
      if (rest[0] === 'halls' && typeof rest[1] === 'number') {
        const hall = site?.halls?.[rest[1]]?.name;
        const h = (patch.halls ?? []).findIndex(
          (x) => x.name === hall && (rest[2] === undefined || String(rest[2]) in x),
        );
        if (h >= 0)
          return ['timeline', k, 'sites', j, 'halls', h, ...(rest[2] !== undefined ? [rest[2]] : [])];
      }
      if ((rest[0] === 'quotas' || rest[0] === 'spotQuotas') && patch[rest[0]])
        return ['timeline', k, 'sites', j, rest[0]];
    }
  }
  return undefined;
}
