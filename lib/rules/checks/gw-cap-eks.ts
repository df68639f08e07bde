import { exceedsLimit } from '../../util/exact';
import { awsLimit } from '../../catalog';
import { nodeGroupCount } from '../../model/node-groups';
import type { Finding, Rule } from '../rule';
import { siteTarget } from '../rule';
import { awsPools, fmt } from '../select';

/** The EKS cluster of each AWS site fits the EKS limits. */
export const capEks: Rule = {
  id: 'GW-CAP-EKS',
  severity: 'error',
  category: 'capacity',
  title: 'Each EKS cluster stays within the limits on managed node groups and nodes',
  explanation:
    'EKS allows 450 nodes per managed node group and 30 managed node groups per cluster by default (both adjustable quotas), and up to 100,000 nodes per cluster (ultra scale clusters). gigawatt splits a large pool into node groups of at most 450 nodes holding whole UltraServers (the same split the synthesized stacks use); exceeding the default node-group quota is a warning (request an increase), exceeding the cluster maximum is an error. Hybrid nodes joining the cluster count too.',
  check(plan) {
    const out: Finding[] = [];
    const groupLimit = awsLimit('eksManagedNodeGroupsPerCluster');
    const clusterMax = awsLimit('eksMaxNodesPerCluster');
    for (const site of plan.sites.filter((s) => s.provider === 'aws')) {
      const pools = awsPools(plan).filter((p) => p.site === site);
      const hybrid = plan.sites.filter((s) => s.spec.hybrid?.cluster === site.name).flatMap((s) => s.pools);
      const groups = pools.reduce((n, p) => n + nodeGroupCount(p), 0);
      const nodes =
        pools.reduce((n, p) => n + p.nodes, 0) + hybrid.reduce((n, p) => n + p.kubernetesNodes, 0);
      if (exceedsLimit(groups, groupLimit))
        out.push({
          path: ['sites', site.index],
          target: siteTarget(site.name),
          severity: 'warning',
          message: `Site '${site.name}': its pools need ${groups} managed node groups (${pools.map((p) => `${p.name} ${nodeGroupCount(p)}`).join(', ')}); the default EKS quota is ${groupLimit} per cluster.`,
          hint: 'Request a higher "Managed node groups per cluster" quota, or split the site into several clusters.',
        });
      if (exceedsLimit(nodes, clusterMax))
        out.push({
          path: ['sites', site.index],
          target: siteTarget(site.name),
          message: `Site '${site.name}': its cluster would have ${fmt(nodes)} nodes; EKS supports at most ${fmt(clusterMax)} per cluster.`,
          hint: 'Split the site into several sites (clusters).',
        });
    }
    return out;
  },
};
