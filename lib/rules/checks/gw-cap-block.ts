import { exceedsLimit, fallsShort } from '../../util/exact';
import { awsLimit } from '../../catalog';
import type { Finding, Rule } from '../rule';
import { poolTarget } from '../rule';
import { awsPools, fmt } from '../select';

export interface CapacityBlockSpan {
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

/** Capacity Blocks and reservations match the pool and cover it. */
export const capBlock: Rule = {
  id: 'GW-CAP-BLOCK',
  severity: 'error',
  category: 'capacity',
  title:
    'Capacity Blocks and reservations match the pool’s type and AZ, cover its size and dates, and respect the Capacity Block limits',
  explanation:
    'A Capacity Block is bought for one instance type in one AZ, for a fixed window, at most 64 instances per block and 256 across blocks; its instances are static (min = max). Instances only land in it when they target its reservation id. Types sold only through Capacity Blocks cannot be launched on demand, and types without spot cannot be spot pools. Each mismatch surfaces today as a failed launch after apply.',
  relatedIds: [
    'ParallelCluster CapacityReservationValidator',
    'CapacityReservationSizeValidator',
    'CapacityTypeValidator',
    'ComputeResourceSizeValidator',
    'checklist #6, #7',
  ],
  check(plan) {
    const out: Finding[] = [];
    const perBlock = awsLimit('capacityBlockMaxInstances');
    const acrossBlocks = awsLimit('capacityBlockMaxInstancesTotal');
    const blocks: CapacityBlockSpan[] = [];
    for (const p of awsPools(plan)) {
      const target = poolTarget(p.name);
      const cap = p.spec.capacity;
      const at = (key: string) => ['pools', p.index, 'capacity', key];
      const purchase = p.instance!.purchase;
      if (p.capacityType === 'on-demand' && purchase?.capacityBlockOnly?.value)
        out.push({
          path: ['pools', p.index],
          target,
          message: `Pool '${p.name}': ${p.typeName} is sold only through Capacity Blocks; it cannot be launched on demand.`,
          hint: 'Set capacity: { type: capacity-block, reservationId, ... }.',
        });
      if (p.capacityType === 'spot' && purchase?.spot?.value === false)
        out.push({
          path: at('type'),
          target,
          message: `Pool '${p.name}': ${p.typeName} has no spot capacity.`,
          hint: 'Use a Capacity Block or an on-demand capacity reservation.',
        });
      if (!cap || (cap.type !== 'capacity-block' && cap.type !== 'odcr')) continue;
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
      if (cap.instanceType && cap.instanceType !== p.typeName)
        out.push({
          path: at('instanceType'),
          target,
          message: `Pool '${p.name}': the ${kind} is for ${cap.instanceType}, the pool asks for ${p.typeName}.`,
          hint: 'Make the pool type match the reservation.',
        });
      const az = p.fabric?.spec.availabilityZone;
      if (cap.availabilityZone && az && cap.availabilityZone !== az)
        out.push({
          path: at('availabilityZone'),
          target,
          message: `Pool '${p.name}': the ${kind} is in ${cap.availabilityZone} but the pool's subnet (fabric '${p.fabric!.name}') is in ${az}.`,
          hint: `Put the fabric in ${cap.availabilityZone}: instances can only use a reservation in its own AZ.`,
        });
      if (cap.instances !== undefined && fallsShort(cap.instances, p.nodes))
        out.push({
          path: at('instances'),
          target,
          message: `Pool '${p.name}': ${fmt(p.nodes)} instances but the ${kind} holds ${fmt(cap.instances)}.`,
          hint: `Shrink the pool to ${fmt(cap.instances)} or reserve ${fmt(p.nodes - cap.instances)} more.`,
        });
      if (cap.type !== 'capacity-block') continue;
      blocks.push({
        pool: p.name,
        instances: cap.instances ?? p.nodes,
        start: cap.start ? Date.parse(cap.start) : -Infinity,
        end: cap.end ? Date.parse(cap.end) : Infinity,
      });
      if (exceedsLimit(cap.instances ?? p.nodes, perBlock) && !p.instance!.ultraServer)
        out.push({
          path: at('instances'),
          target,
          message: `Pool '${p.name}': ${fmt(cap.instances ?? p.nodes)} instances in one Capacity Block; AWS sells at most ${perBlock} per block.`,
          hint: `Split the pool into pools of at most ${perBlock} instances, one Capacity Block each.`,
        });
      if (cap.minSize !== undefined && cap.minSize !== p.nodes)
        out.push({
          path: at('minSize'),
          target,
          message: `Pool '${p.name}': minSize ${cap.minSize} ≠ ${p.nodes}; Capacity Block instances are static (min = max).`,
          hint: `Set minSize to ${p.nodes} or remove it.`,
        });
      const start = cap.start ? new Date(cap.start) : undefined;
      const end = cap.end ? new Date(cap.end) : undefined;
      if (start && end && end <= start)
        out.push({
          path: at('end'),
          target,
          message: `Pool '${p.name}': the Capacity Block ends (${cap.end}) before it starts (${cap.start}).`,
          hint: 'Fix the window.',
        });
      if (plan.schedule) {
        if (!start || !end)
          out.push({
            path: ['pools', p.index, 'capacity'],
            target,
            severity: 'warning',
            message: `Pool '${p.name}': the Capacity Block has no start/end, so gigawatt cannot check that it covers the plan (${plan.spec.schedule!.start} to ${plan.spec.schedule!.end}).`,
            hint: 'Add capacity.start and capacity.end from the reservation.',
          });
        else if (start > plan.schedule.start || end < plan.schedule.end)
          out.push({
            path: at(start > plan.schedule.start ? 'start' : 'end'),
            target,
            message: `Pool '${p.name}': the Capacity Block window ${cap.start} – ${cap.end} does not cover the plan schedule ${plan.spec.schedule!.start} – ${plan.spec.schedule!.end}.`,
            hint: 'Buy a block that covers the schedule, or shorten the schedule.',
          });
      }
    }
    const peak = peakCapacityBlockInstances(blocks);
    if (exceedsLimit(peak.instances, acrossBlocks))
      out.push({
        path: ['pools'],
        target: 'pools',
        message: `The plan holds ${fmt(peak.instances)} instances in Capacity Blocks at the same time (${peak.pools.join(', ')}); AWS allows ${acrossBlocks} across Capacity Blocks at a time.`,
        hint: 'Spread the blocks over time or accounts, or use on-demand reservations for part of the fleet.',
      });
    return out;
  },
};
