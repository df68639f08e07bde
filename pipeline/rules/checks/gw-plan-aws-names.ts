import { hostsEksCluster } from '../../model/stacks';
import { IAM_ROLE_NAME_MAX, iamRoleName, type ClusterRole } from '../../model/onprem-nodes';
import type { Finding, Rule } from '../rule';
import { siteTarget } from '../rule';

/** The names gigawatt gives AWS resources fit AWS's limits. */
export const planAwsNames: Rule = {
  id: 'GW-PLAN-AWS-NAMES',
  severity: 'error',
  category: 'plan',
  title: 'The IAM role names gigawatt derives from the plan and site names fit the 64 characters IAM allows',
  explanation: `Each EKS cluster gets IAM roles named <plan>-<site>-cluster, <plan>-<site>-node and, with EKS Hybrid Nodes, <plan>-<site>-hybrid. IAM role names are at most ${IAM_ROLE_NAME_MAX} characters (IAM object quotas); the AWS provider refuses a longer one at terraform validate. Plan and site names may each be 40 characters, so together they can exceed it.`,
  check(plan) {
    const out: Finding[] = [];
    // Every AWS site with a VPC fabric gets a cluster (constructs/stacks.ts), with or without pools: a
    // cluster for hybrid nodes only has none.
    for (const site of plan.sites.filter(hostsEksCluster)) {
      const hybrid = plan.sites.some((s) => s.spec.hybrid?.cluster === site.name);
      const roles: ClusterRole[] = ['cluster', 'node', ...(hybrid ? (['hybrid'] as const) : [])];
      const long = roles
        .map((r) => iamRoleName(plan, site.name, r))
        .filter((n) => n.length > IAM_ROLE_NAME_MAX);
      if (!long.length) continue;
      const longest = Math.max(...long.map((n) => n.length));
      const over = longest - IAM_ROLE_NAME_MAX;
      out.push({
        path: ['sites', site.index, 'name'],
        target: siteTarget(site.name),
        message: `Site '${site.name}' of plan '${plan.name}' gives its cluster IAM role names of up to ${longest} characters (${long.join(', ')}); IAM allows ${IAM_ROLE_NAME_MAX}.`,
        hint: `Shorten the plan name (metadata.name) or the site name by ${over} character${over === 1 ? '' : 's'} together. Renaming a deployed plan or site points it at new state.`,
      });
    }
    return out;
  },
};
