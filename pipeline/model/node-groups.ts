/**
 * EKS managed node groups of a pool (pure): the one formula the rules, the constructs and the reports
 * use. Each group holds at most the managed-node-group limit (450 by default) and whole UltraServers, so
 * an UltraServer never straddles two groups: 900 × trn2u (UltraServers of 4) is 448 + 448 + 4, three
 * groups, not ceil(900 / 450) = 2.
 */
import { awsLimit } from '../catalog';
import type { ResolvedPool } from './index';

/** Node-group sizes: at most the managed-node-group limit each, whole UltraServers per group. */
export function nodeGroupSizes(
  pool: Pick<ResolvedPool, 'nodes' | 'maxNodes' | 'ultraServerSizes'>,
): number[] {
  const limit = awsLimit('eksNodesPerManagedNodeGroup');
  const fitting = (pool.ultraServerSizes ?? []).filter((s) => s <= limit);
  const unit = fitting.length ? Math.max(...fitting) : 1;
  const perGroup = Math.max(unit, Math.floor(limit / unit) * unit);
  // As many groups as the pool's largest size needs (maxInstances and its timeline peak), so growth never
  // adds or removes a group; today's nodes fill them in order (later groups may be empty until it grows).
  const groups = Math.max(1, Math.ceil(pool.maxNodes / perGroup));
  const sizes: number[] = [];
  for (let left = pool.nodes, i = 0; i < groups; i++) {
    const n = Math.min(perGroup, left);
    sizes.push(n);
    left -= n;
  }
  return sizes;
}

/** Managed node groups a pool needs (at least one). */
export const nodeGroupCount = (pool: Pick<ResolvedPool, 'nodes' | 'maxNodes' | 'ultraServerSizes'>): number =>
  Math.max(1, nodeGroupSizes(pool).length);

/**
 * Whether a pool gets a cluster placement group of its own: an EC2 pool that asks for one, never on a
 * Capacity Block (EC2 places the block's instances) nor on an ODCR (EC2 places reserved instances only in
 * the placement group the reservation was created in: reservations[].placementGroup).
 */
export const ownPlacementGroup = (pool: ResolvedPool): boolean =>
  pool.kind === 'ec2' &&
  !!pool.placementGroup &&
  pool.capacityType !== 'capacity-block' &&
  pool.capacityType !== 'odcr';
