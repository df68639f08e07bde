/**
 * Terraform stacks of a plan (pure): which stack each pool lives in, and how many resources each stack
 * holds. A pool lives in its site's stack unless the plan says `stack: own`, so a pool moves between
 * stacks (destroying and recreating its hardware) only by a decision recorded in the plan — never
 * because another pool grew or a pool was added.
 */
import { capacityBlockWindow } from './capacity-block';
import type { ResolvedPlan, ResolvedPool, ResolvedSite } from './index';
import { nodeGroupSizes } from './node-groups';

/**
 * Resources a stack holds for the fabric that makes its VPC, for its NAT egress (egress: nat), for the cluster (with its system
 * node group and subnets) and per admin access entry (counted from the synthesized constructs).
 */
export const FABRIC_RESOURCES = 26;
export const NAT_RESOURCES = 9;
export const CLUSTER_RESOURCES = 23;
export const ADMIN_RESOURCES = 2;
/** Resources of a fabric that joins its site's VPC: CIDR block, node subnet, route and endpoint rule. */
export const JOINED_FABRIC_RESOURCES = 4;
/**
 * Resources above which a site stack is worth splitting: `terraform plan` refreshes every resource of a
 * stack, so a large stack is slow to plan and a mistake in it reaches every pool.
 */
export const STACK_RESOURCE_WARNING = 500;

/** The stack a pool's node groups and launch template live in. */
export const poolStackId = (pool: Pick<ResolvedPool, 'name' | 'site' | 'spec'>): string =>
  pool.spec.stack === 'own' ? `${pool.site?.name}-${pool.name}` : (pool.site?.name ?? '');

/** An AWS site with a VPC fabric: the sites constructs/stacks.ts gives an EKS cluster, pools or not. */
export const hostsEksCluster = (site: Pick<ResolvedSite, 'provider' | 'vpcFabrics'>): boolean =>
  site.provider === 'aws' && site.vpcFabrics.length > 0;

/**
 * Every Terraform stack of a plan, in synth order: one per site, then one per pool with `stack: own` on an
 * AWS site that has a fabric (the stacks `constructs/stacks.ts` builds).
 */
export function planStackIds(plan: Pick<ResolvedPlan, 'sites'>): string[] {
  const ids: string[] = [];
  for (const site of plan.sites) {
    ids.push(site.name);
    if (!hostsEksCluster(site)) continue;
    for (const pool of site.pools)
      if (pool.kind === 'ec2' && pool.spec.stack === 'own') ids.push(poolStackId(pool));
  }
  return ids;
}

/** Directory of local Terraform state, beside the synthesized output (never inside it). */
export const LOCAL_STATE_DIR = 'gigawatt.state';

/** Where a stack's Terraform state lives. */
export type StateLocation =
  | { readonly backend: 's3'; readonly bucket: string; readonly region: string; readonly key: string }
  /** `path` is relative to the directory that holds the synthesized output (`gigawatt.out`, `cdktf.out`). */
  | { readonly backend: 'local'; readonly path: string };

/**
 * The state of one stack of a plan: with `spec.backend`, the S3 object `<keyPrefix>/<plan>/<stack>.tfstate`
 * in its bucket; else the local file `gigawatt.state/<plan>/<stack>.tfstate` beside the output. Two stacks
 * with one location write one state: whichever applies last overwrites the other's.
 */
export function stateLocation(plan: Pick<ResolvedPlan, 'name' | 'spec'>, stackId: string): StateLocation {
  const backend = plan.spec.backend;
  return backend
    ? {
        backend: 's3',
        bucket: backend.bucket,
        region: backend.region,
        key: `${backend.keyPrefix ?? 'gigawatt'}/${plan.name}/${stackId}.tfstate`,
      }
    : { backend: 'local', path: `${LOCAL_STATE_DIR}/${plan.name}/${stackId}.tfstate` };
}

/**
 * A state location as one string, equal for two stacks exactly when they share a state: `s3://bucket/key`
 * (bucket names are global, so the region is not part of it) or the local path.
 */
export const stateUri = (at: StateLocation): string =>
  at.backend === 's3' ? `s3://${at.bucket}/${at.key}` : at.path;

/**
 * A pool's resources: its launch template and node groups, counted at maxNodes so growth within it never
 * changes the count, plus the two scheduled actions per node group of a Capacity Block pool.
 */
export const poolResources = (pool: ResolvedPool): number =>
  1 + nodeGroupSizes({ ...pool, nodes: pool.maxNodes }).length * (capacityBlockWindow(pool) ? 3 : 1);

/**
 * Resources of an AWS site's own stack: its fabrics, its cluster (with `admins` access entries) and the
 * pools that stay in it.
 */
export function siteStackResources(site: ResolvedSite, admins = 0): number {
  const [first, ...joined] = site.vpcFabrics;
  if (!first) return 0;
  const pools = site.pools.filter((p) => p.kind === 'ec2' && p.spec.stack !== 'own');
  return (
    FABRIC_RESOURCES +
    ((first.spec.egress ?? 'nat') === 'nat' ? NAT_RESOURCES : 0) +
    joined.length * JOINED_FABRIC_RESOURCES +
    CLUSTER_RESOURCES +
    admins * ADMIN_RESOURCES +
    pools.reduce((n, p) => n + poolResources(p), 0)
  );
}
