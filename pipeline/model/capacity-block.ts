/**
 * When a Capacity Block pool's node groups scale (pure). The EKS guide for Capacity Blocks with managed
 * node groups (capacity-blocks-mng) keeps the desired size at 0 outside the block and scales up with a
 * scheduled action at its start, down to 0 before its end, so that launches never run before the block is
 * active and min > 0 never fights EC2 reclaiming the instances at the end.
 */
import type { ResolvedPool } from './index';

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
