/**
 * Which pools share a Kubernetes cluster: every AWS site is one EKS cluster; an on-prem site either joins
 * an AWS site's cluster as EKS Hybrid Nodes (`sites[].hybrid.cluster`) or is a cluster of its own.
 */
import type { ResolvedPlan, ResolvedPool, ResolvedSite } from '../model';

export interface KubeCluster {
  /** Cluster name: the site that hosts the control plane. */
  readonly name: string;
  readonly pools: readonly ResolvedPool[];
}

export const clusterOf = (site: ResolvedSite): string => site.spec.hybrid?.cluster ?? site.name;

export function kubeClusters(plan: ResolvedPlan): KubeCluster[] {
  const byName = new Map<string, ResolvedPool[]>();
  for (const site of plan.sites) {
    const name = clusterOf(site);
    const pools = byName.get(name) ?? [];
    pools.push(...site.pools.filter((p) => p.kind !== 'unknown'));
    byName.set(name, pools);
  }
  return [...byName.entries()]
    .filter(([, pools]) => pools.length > 0)
    .map(([name, pools]) => ({ name, pools: [...pools].sort((a, b) => a.name.localeCompare(b.name)) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
