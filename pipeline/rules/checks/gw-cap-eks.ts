import { exceedsLimit } from '../../util/exact';
import { awsLimit } from '../../catalog';
import { nodeGroupCount } from '../../model/node-groups';
import type { Finding, Rule } from '../rule';
import { siteTarget } from '../rule';
import { awsSitePools, fmt, listed } from '../select';

/** The EKS cluster of each AWS site fits the EKS limits. */
export const capEks: Rule = {
  id: 'GW-CAP-EKS',
  severity: 'error',
  category: 'capacity',
  title: 'Each EKS cluster stays within the limits on managed node groups and nodes',
  explanation:
    'EKS allows 450 nodes per managed node group and 30 managed node groups per cluster by default (both adjustable quotas), so default quotas hold 13,500 managed nodes per cluster. 100,000 nodes per cluster is the EKS ultra-scale capability (AWS blog, July 2025), not a default quota: a cluster beyond the default quotas gets an early warning that it relies on it, and beyond 100,000 nodes an error. gigawatt splits a large pool into node groups of at most 450 nodes holding whole UltraServers (the same split the synthesized stacks use). Hybrid nodes joining the cluster count too.',
  check(plan) {
    const out: Finding[] = [];
    const groupLimit = awsLimit('eksManagedNodeGroupsPerCluster');
    const clusterMax = awsLimit('eksMaxNodesPerCluster');
    // Managed nodes the default quotas hold (30 groups × 450 nodes); beyond it the cluster relies on ultra scale.
    const defaultNodes = groupLimit * awsLimit('eksNodesPerManagedNodeGroup');
    for (const site of plan.sites.filter((s) => s.provider === 'aws')) {
      const pools = awsSitePools(site);
      const hybrid = plan.sites.filter((s) => s.spec.hybrid?.cluster === site.name).flatMap((s) => s.pools);
      const groups = pools.reduce((n, p) => n + nodeGroupCount(p), 0);
      const nodes =
        pools.reduce((n, p) => n + p.nodes, 0) + hybrid.reduce((n, p) => n + p.kubernetesNodes, 0);
      if (exceedsLimit(groups, groupLimit))
        out.push({
          path: ['sites', site.index],
          target: siteTarget(site.name),
          severity: 'warning',
          message: `Site '${site.name}': its pools need ${fmt(groups)} managed node groups (${listed(pools.map((p) => `${p.name} ${fmt(nodeGroupCount(p))}`))}); the default EKS quota is ${fmt(groupLimit)} per cluster.`,
          hint: 'Request a higher "Managed node groups per cluster" quota, or split the site into several clusters.',
        });
      if (exceedsLimit(nodes, defaultNodes) && !exceedsLimit(nodes, clusterMax))
        out.push({
          path: ['sites', site.index],
          target: siteTarget(site.name),
          severity: 'warning',
          message: `Site '${site.name}': its cluster would have ${fmt(nodes)} nodes, more than the ${fmt(defaultNodes)} that default EKS quotas hold (${fmt(groupLimit)} managed node groups × ${fmt(awsLimit('eksNodesPerManagedNodeGroup'))} nodes); up to ${fmt(clusterMax)} nodes is the EKS ultra-scale capability, not a default quota.`,
          hint: 'Engage AWS early to run the cluster at ultra scale (and raise the node-group quotas), or split the site into several clusters.',
        });
      if (exceedsLimit(nodes, clusterMax))
        out.push({
          path: ['sites', site.index],
          target: siteTarget(site.name),
          message: `Site '${site.name}': its cluster would have ${fmt(nodes)} nodes; EKS supports at most ${fmt(clusterMax)} per cluster, even at ultra scale.`,
          hint: 'Split the site into several sites (clusters).',
        });
    }
    return out;
  },
};
