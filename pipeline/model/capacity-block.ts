/**
 * When a Capacity Block pool's node groups scale (pure). The EKS guide for Capacity Blocks with managed
 * node groups (capacity-blocks-mng) keeps the desired size at 0 outside the block and scales up with a
 * scheduled action at its start, down to 0 before its end, so that launches never run before the block is
 * active and min > 0 never fights EC2 reclaiming the instances at the end.
 */
import type { ResolvedPlan, ResolvedPool } from './index';
import { nodeGroupSizes } from './node-groups';
import { planAt } from './timeline';

/**
 * Minutes before the block end at which the pool is scaled to zero. The issue and the EKS guide ask for
 * at least 30; gigawatt leaves 60 so that pods drain before EC2 starts reclaiming the instances.
 */
export const SCALE_DOWN_MINUTES_BEFORE_END = 60;

export interface CapacityBlockWindow {
  /** Scheduled scale-up to the pool size: the block start (UTC, ISO 8601 without milliseconds). */
  readonly scaleUpAt: string;
  /** Scheduled scale-down to zero: SCALE_DOWN_MINUTES_BEFORE_END before the block end. */
  readonly scaleDownAt: string;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The scaling window of a Capacity Block pool, or undefined (not a block, or start/end unknown). */
export function capacityBlockWindow(pool: ResolvedPool): CapacityBlockWindow | undefined {
  if (pool.capacityType !== 'capacity-block') return undefined;
  const start = pool.reservation?.start ?? pool.spec.capacity?.start;
  const end = pool.reservation?.end ?? pool.spec.capacity?.end;
  if (!start || !end) return undefined;
  const s = Date.parse(start);
  const down = Date.parse(end) - SCALE_DOWN_MINUTES_BEFORE_END * 60_000;
  if (!Number.isFinite(s) || !Number.isFinite(down) || down <= s) return undefined;
  return { scaleUpAt: iso(s), scaleDownAt: iso(down) };
}

/** One scheduled action of a Capacity Block node group: at `at`, the group's ASG goes to `desired`. */
export interface ScheduledScaling {
  /** `block-start` (scale up to the pool's size) or `block-end` (to zero before the end). */
  readonly id: 'block-start' | 'block-end';
  /** UTC, ISO 8601 without milliseconds (`aws_autoscaling_schedule.start_time`). */
  readonly at: string;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desired: number;
}

/** The sizes of one node group of a Capacity Block pool, and its scheduled actions still to come. */
export interface NodeGroupScaling {
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredSize: number;
  readonly actions: readonly ScheduledScaling[];
}

export interface CapacityBlockScaling {
  /**
   * Where the instant stands against the block: `before` its start (or no instant given), `active` from
   * its start (inclusive) to the scale-down time (exclusive), `ended` from the scale-down time on.
   */
  readonly phase: 'before' | 'active' | 'ended';
  readonly window: CapacityBlockWindow;
  /** The pool's instances at the block start: what the block-start action scales to. */
  readonly instancesAtStart: number;
  /** One entry per node group of the pool (nodeGroupSizes order). */
  readonly groups: readonly NodeGroupScaling[];
}

/** The pool's instance count at `at`: from the plan's timeline when it has one, else as written. */
function instancesAt(plan: ResolvedPlan, pool: ResolvedPool, at: number): number {
  if (!plan.spec.timeline?.length) return pool.nodes;
  const p = planAt(plan.spec, at).pools.find((x) => x.name === pool.name);
  return p?.instances ?? p?.nodes ?? 0;
}

/**
 * How a Capacity Block pool's node groups are sized when the Terraform is applied from `asOf` (epoch ms),
 * or undefined when the pool has no window (not a block, or start/end unknown: it is sized statically).
 *
 * AWS rejects a scheduled action whose start time is in the past, so only actions still to come are
 * returned: before the block, desired 0 with a block-start and a block-end action; from the block start
 * (inclusive) the group gets its size directly and keeps only the block-end action; from the scale-down
 * time (inclusive) it is 0 with no action. Without `asOf` the instant counts as before the block.
 *
 * maxSize is each group's share of the pool's peak (`maxNodes`: maxInstances and the timeline peak), so
 * no scheduled desired exceeds it and synthesizing at another date changes sizes, never the groups.
 */
export function capacityBlockScaling(
  plan: ResolvedPlan,
  pool: ResolvedPool,
  asOf?: number,
): CapacityBlockScaling | undefined {
  const window = capacityBlockWindow(pool);
  if (!window) return undefined;
  const up = Date.parse(window.scaleUpAt);
  const down = Date.parse(window.scaleDownAt);
  const phase = asOf === undefined || asOf < up ? 'before' : asOf < down ? 'active' : 'ended';
  const instancesAtStart = instancesAt(plan, pool, up);
  const maxima = nodeGroupSizes({ ...pool, nodes: pool.maxNodes });
  const atStart = nodeGroupSizes({ ...pool, nodes: instancesAtStart });
  const now = phase === 'active' ? nodeGroupSizes({ ...pool, nodes: instancesAt(plan, pool, asOf!) }) : [];
  const groups = maxima.map((peak, i): NodeGroupScaling => {
    // EKS needs maxSize >= 1, also for a group the pool has not filled yet.
    const maxSize = Math.max(peak, 1);
    const action = (id: ScheduledScaling['id'], at: string, desired: number): ScheduledScaling => ({
      id,
      at,
      minSize: 0,
      maxSize,
      desired,
    });
    return {
      minSize: 0,
      maxSize,
      desiredSize: now[i] ?? 0,
      actions: [
        ...(phase === 'before' ? [action('block-start', window.scaleUpAt, atStart[i] ?? 0)] : []),
        ...(phase !== 'ended' ? [action('block-end', window.scaleDownAt, 0)] : []),
      ],
    };
  });
  return { phase, window, instancesAtStart, groups };
}
