import { awsLimit, catalog } from '../../catalog';
import type { ResolvedPlan, ResolvedReservation } from '../../model';
import { exceedsLimit, fallsShort } from '../../util/exact';
import type { Finding, Rule } from '../rule';
import { poolTarget } from '../rule';
import { awsPools, fmt, listed } from '../select';

export interface CapacityBlockSpan {
  /** The reservation (or, for a block without id, the pool) the span stands for. */
  readonly pool: string;
  readonly instances: number;
  /** Epoch ms; a block without dates spans all time. */
  readonly start: number;
  readonly end: number;
}

/** The most Capacity Block instances held at one moment (blocks that do not overlap in time do not add up). */
export function peakCapacityBlockInstances(blocks: readonly CapacityBlockSpan[]): {
  instances: number;
  pools: string[];
} {
  let best = { instances: 0, pools: [] as string[] };
  for (const b of blocks) {
    // The peak is reached at the start of some block: count every block active at that moment.
    const active = blocks.filter((x) => x.start <= b.start && b.start < x.end);
    const n = active.reduce((sum, x) => sum + x.instances, 0);
    if (n > best.instances) best = { instances: n, pools: active.map((x) => x.pool) };
  }
  return best;
}

type Field = 'instances' | 'instanceType' | 'availabilityZone' | 'start' | 'end' | 'type' | 'site';

/** Where a reservation's field is written: its reservations[] entry, or the first pool describing it inline. */
function located(res: ResolvedReservation, field: Field): { path: Finding['path']; target: string } {
  if (res.declared) return { path: ['reservations', res.index!, field], target: `reservations.${res.id}` };
  const p = res.pools.find((x) => x.spec.capacity?.[field as 'instances'] !== undefined) ?? res.pools[0];
  return {
    path: ['pools', p.index, 'capacity', ...(field === 'site' ? [] : [field])],
    target: poolTarget(p.name),
  };
}

const label = (res: ResolvedReservation) =>
  res.reservationId
    ? `reservation ${res.reservationId}`
    : `the Capacity Block of pool '${res.pools[0].name}'`;
const kindOf = (res: ResolvedReservation) =>
  res.type === 'capacity-block' ? 'Capacity Block' : 'capacity reservation';

/** Capacity Block end time (UTC, "11:30") from the catalog. */
const blockEnd = (): string => String(catalog.awsLimits.capacityBlockEndHourUtc.value);

function reservationFindings(plan: ResolvedPlan, res: ResolvedReservation, out: Finding[]): void {
  const kind = kindOf(res);
  const perBlock = awsLimit('capacityBlockMaxInstances');
  for (const [p, field, seen] of res.conflicts)
    out.push({
      path: ['pools', p.index, 'capacity', field],
      target: poolTarget(p.name),
      message: `Pool '${p.name}': ${label(res)} is described twice with different ${field}: ${seen} here, ${String(res[field])} on pool '${res.pools[0].name}'.`,
      hint: `Describe the reservation once, under reservations: [{ id: ${res.reservationId}, ... }], and keep only capacity.reservationId on the pools.`,
    });
  if (res.declared && res.site && res.site.provider !== 'aws')
    out.push({
      ...located(res, 'site'),
      message: `Reservation ${res.id} is in site '${res.site.name}', which is not an AWS site.`,
      hint: 'Capacity Blocks and capacity reservations belong to an AWS site (region).',
    });
  const pools = listed(res.pools.map((p) => `${p.name} ${fmt(p.nodes)}`));
  if (res.instances !== undefined && fallsShort(res.instances, res.drawn))
    out.push({
      ...located(res, 'instances'),
      message:
        res.pools.length > 1
          ? `Pools ${pools} draw ${fmt(res.drawn)} instances from ${label(res)}, which holds ${fmt(res.instances)}.`
          : `Pool '${res.pools[0]?.name}': ${fmt(res.drawn)} instances but the ${kind} holds ${fmt(res.instances)}.`,
      hint:
        res.pools.length > 1
          ? `Shrink the pools by ${fmt(res.drawn - res.instances)} in total, or reserve more.`
          : `Shrink the pool to ${fmt(res.instances)} or reserve ${fmt(res.drawn - res.instances)} more.`,
    });
  if (res.type !== 'capacity-block') return;
  const size = res.instances ?? res.drawn;
  const ultra = res.pools.some((p) => p.instance?.ultraServer);
  if (exceedsLimit(size, perBlock) && !ultra)
    out.push({
      ...located(res, 'instances'),
      message: res.declared
        ? `Reservation ${res.id}: ${fmt(size)} instances in one Capacity Block; AWS sells at most ${perBlock} per block.`
        : `Pool '${res.pools[0].name}': ${fmt(size)} instances in one Capacity Block; AWS sells at most ${perBlock} per block.`,
      hint: `Split it into Capacity Blocks of at most ${perBlock} instances, each under reservations: with its own id.`,
    });
  const start = res.start ? new Date(res.start) : undefined;
  const end = res.end ? new Date(res.end) : undefined;
  if (start && end && end <= start)
    out.push({
      ...located(res, 'end'),
      message: `${res.declared ? `Reservation ${res.id}` : `Pool '${res.pools[0].name}'`}: the Capacity Block ends (${res.end}) before it starts (${res.start}).`,
      hint: 'Fix the window.',
    });
  const endAt = blockEnd();
  if (
    end &&
    `${String(end.getUTCHours()).padStart(2, '0')}:${String(end.getUTCMinutes()).padStart(2, '0')}` !== endAt
  )
    out.push({
      ...located(res, 'end'),
      severity: 'warning',
      message: `${res.declared ? `Reservation ${res.id}` : `Pool '${res.pools[0].name}'`}: the Capacity Block end ${res.end} is not at ${endAt} UTC; Capacity Blocks end at ${endAt} UTC.`,
      hint: `Copy the block's real end time (DescribeCapacityReservations, or --live): it ends at ${endAt} UTC of its last day.`,
    });
  if (plan.schedule) {
    if (!start || !end)
      out.push({
        ...located(res, 'start'),
        severity: 'warning',
        message: `${res.declared ? `Reservation ${res.id}` : `Pool '${res.pools[0].name}'`}: the Capacity Block has no start/end, so gigawatt cannot check that it covers the plan (${plan.spec.schedule!.start} to ${plan.spec.schedule!.end}).`,
        hint: 'Add start and end from the reservation.',
      });
    else if (start > plan.schedule.start || end < plan.schedule.end)
      out.push({
        ...located(res, start > plan.schedule.start ? 'start' : 'end'),
        message: `${res.declared ? `Reservation ${res.id}` : `Pool '${res.pools[0].name}'`}: the Capacity Block window ${res.start} – ${res.end} does not cover the plan schedule ${plan.spec.schedule!.start} – ${plan.spec.schedule!.end}.`,
        hint: 'Buy a block that covers the schedule, or shorten the schedule.',
      });
  }
}

/** Capacity Blocks and reservations match the pool and cover it. */
export const capBlock: Rule = {
  id: 'GW-CAP-BLOCK',
  severity: 'error',
  category: 'capacity',
  title:
    'Capacity Blocks and reservations match the pool’s type and AZ, cover its size and dates, and respect the Capacity Block limits',
  explanation:
    'A Capacity Block is bought for one instance type in one AZ, for a fixed window ending at 11:30 UTC, at most 64 instances per block and 256 across blocks; its node group is sized by the window (min 0; scheduled up at the start, to 0 before the end), so minSize is ignored with a warning. Instances only land in it when they target its reservation id. Several pools may draw from one reservation (reservations[]): together they must fit it, and the block counts once against the 256. Types sold only through Capacity Blocks cannot be launched on demand, and types without spot cannot be spot pools; where that purchase fact is an estimate (p5e, trn2, trn2u) the finding is a warning. Each mismatch surfaces today as a failed launch after apply.',
  relatedIds: [
    'ParallelCluster CapacityReservationValidator',
    'CapacityReservationSizeValidator',
    'CapacityTypeValidator',
    'ComputeResourceSizeValidator',
  ],
  check(plan) {
    const out: Finding[] = [];
    const acrossBlocks = awsLimit('capacityBlockMaxInstancesTotal');
    for (const p of awsPools(plan)) {
      const target = poolTarget(p.name);
      const cap = p.spec.capacity;
      const at = (key: string) => ['pools', p.index, 'capacity', key];
      const purchase = p.instance!.purchase;
      // A purchase fact that is an estimate warns; only an official one fails the plan.
      const cbOnly = purchase?.capacityBlockOnly;
      if (p.capacityType === 'on-demand' && cbOnly?.value)
        out.push({
          path: ['pools', p.index],
          target,
          ...(cbOnly.confidence === 'estimate' ? { severity: 'warning' as const } : {}),
          message:
            cbOnly.confidence === 'estimate'
              ? `Pool '${p.name}': ${p.typeName} appears to be sold only through Capacity Blocks (estimate: ${cbOnly.note ?? 'no other documented purchase path'}); an on-demand launch may fail.`
              : `Pool '${p.name}': ${p.typeName} is sold only through Capacity Blocks; it cannot be launched on demand.`,
          hint:
            cbOnly.confidence === 'estimate'
              ? 'Confirm on-demand availability (DescribeInstanceTypeOfferings, or --live), or set capacity: { type: capacity-block, reservationId }.'
              : 'Set capacity: { type: capacity-block, reservationId, ... }.',
        });
      const spot = purchase?.spot;
      if (p.capacityType === 'spot' && spot?.value === false)
        out.push({
          path: at('type'),
          target,
          ...(spot.confidence === 'estimate' ? { severity: 'warning' as const } : {}),
          message:
            spot.confidence === 'estimate'
              ? `Pool '${p.name}': ${p.typeName} appears to have no spot capacity (estimate); spot requests may never be filled.`
              : `Pool '${p.name}': ${p.typeName} has no spot capacity.`,
          hint: 'Use a Capacity Block or an on-demand capacity reservation.',
        });
      const res = p.reservation;
      if (!cap || !res) continue;
      const kind = cap.type === 'capacity-block' ? 'Capacity Block' : 'capacity reservation';
      if (cap.type === 'capacity-block' && purchase?.capacityBlock?.value === false)
        out.push({
          path: at('type'),
          target,
          message: `Pool '${p.name}': ${p.typeName} is not sold as Capacity Blocks.`,
          hint: 'Use on-demand, spot or an on-demand capacity reservation (odcr).',
        });
      if (!cap.reservationId)
        out.push({
          path: ['pools', p.index, 'capacity'],
          target,
          message: `Pool '${p.name}': a ${kind} pool needs the reservation id its instances target.`,
          hint: 'Add capacity.reservationId: cr-...',
        });
      if (res.declared) {
        const r = res.spec!;
        if (r.type !== cap.type)
          out.push({
            path: at('type'),
            target,
            message: `Pool '${p.name}': capacity.type is ${cap.type} but reservation ${r.id} is a ${kindOf(res)} (${r.type}).`,
            hint: `Set capacity.type: ${r.type}.`,
          });
        if (res.site && p.site && res.site !== p.site)
          out.push({
            path: at('reservationId'),
            target,
            message: `Pool '${p.name}' is in site '${p.site.name}' but reservation ${r.id} is in site '${res.site.name}'.`,
            hint: 'A pool can only draw from a reservation of its own region.',
          });
        for (const field of ['instances', 'instanceType', 'availabilityZone', 'start', 'end'] as const)
          if (cap[field] !== undefined && cap[field] !== r[field])
            out.push({
              path: at(field),
              target,
              message: `Pool '${p.name}': capacity.${field} ${String(cap[field])} contradicts reservations[${res.index}] (${r.id}), which says ${r[field] === undefined ? 'nothing' : String(r[field])}.`,
              hint: `Remove capacity.${field} from the pool: the reservation is described once, under reservations[].`,
            });
      }
      const resType = res.instanceType ?? p.typeName;
      if (resType !== p.typeName)
        out.push({
          path: res.declared ? at('reservationId') : at('instanceType'),
          target,
          message: `Pool '${p.name}': the ${kind} is for ${resType}, the pool asks for ${p.typeName}.`,
          hint: 'Make the pool type match the reservation.',
        });
      const az = p.fabric?.spec.availabilityZone;
      if (res.availabilityZone && az && res.availabilityZone !== az)
        out.push({
          path: res.declared ? at('reservationId') : at('availabilityZone'),
          target,
          message: `Pool '${p.name}': the ${kind} is in ${res.availabilityZone} but the pool's subnet (fabric '${p.fabric!.name}') is in ${az}.`,
          hint: `Put the fabric in ${res.availabilityZone}: instances can only use a reservation in its own AZ.`,
        });
      // The node group of a block is sized by its window (model/capacity-block.ts): min 0, scheduled
      // to the pool's nodes at the block start and to 0 before its end. A minSize cannot hold outside it.
      if (cap.type === 'capacity-block' && cap.minSize !== undefined)
        out.push({
          path: at('minSize'),
          target,
          severity: 'warning',
          message: `Pool '${p.name}': minSize ${cap.minSize} is ignored; a Capacity Block node group is min 0 and scaled by the block window (${p.nodes} at its start, 0 before its end).`,
          hint: 'Remove minSize.',
        });
    }
    const blocks: CapacityBlockSpan[] = [];
    for (const res of plan.reservations) {
      if (!res.pools.some((p) => p.kind === 'ec2' && p.site?.provider === 'aws') && !res.declared) continue;
      reservationFindings(plan, res, out);
      if (res.type === 'capacity-block' && (res.pools.length || res.declared))
        blocks.push({
          pool: `${res.reservationId ?? 'block'} ${fmt(res.instances ?? res.drawn)} (${listed(res.pools.map((p) => p.name)) || 'no pools'})`,
          instances: res.instances ?? res.drawn,
          start: res.start ? Date.parse(res.start) : -Infinity,
          end: res.end ? Date.parse(res.end) : Infinity,
        });
    }
    const peak = peakCapacityBlockInstances(blocks);
    if (exceedsLimit(peak.instances, acrossBlocks))
      out.push({
        path: ['pools'],
        target: 'pools',
        message: `The plan holds ${fmt(peak.instances)} instances in Capacity Blocks at the same time (${listed(peak.pools)}); AWS allows ${acrossBlocks} across Capacity Blocks at a time.`,
        hint: 'Spread the blocks over time or accounts, or use on-demand reservations for part of the fleet.',
      });
    return out;
  },
};
