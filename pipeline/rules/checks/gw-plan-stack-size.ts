import { poolResources, siteStackResources, STACK_RESOURCE_WARNING } from '../../model/stacks';
import type { Finding, Rule } from '../rule';
import { siteTarget } from '../rule';
import { fmt } from '../select';

/** A site's Terraform stack stays small enough to plan; pools leave it only by `stack: own` in the plan. */
export const planStackSize: Rule = {
  id: 'GW-PLAN-STACK-SIZE',
  severity: 'warning',
  category: 'plan',
  title: `A site stack holds at most ${fmt(STACK_RESOURCE_WARNING)} resources`,
  explanation:
    '`terraform plan` refreshes every resource of a stack, so a large stack is slow to plan and apply and one mistake in it reaches every pool. gigawatt never moves pools out of a site stack by itself: moving a pool between stacks moves its resources to another state, which destroys and recreates its nodes, and an automatic split would move unrelated pools whenever another pool is added. The plan decides, per pool, with `stack: own`.',
  check(plan) {
    const out: Finding[] = [];
    for (const site of plan.sites) {
      if (site.provider !== 'aws') continue;
      const total = siteStackResources(site, plan.kubernetes.admins.length);
      if (total <= STACK_RESOURCE_WARNING) continue;
      const largest = site.pools
        .filter((p) => p.kind === 'ec2' && p.spec.stack !== 'own')
        .map((p) => ({ name: p.name, n: poolResources(p) }))
        .sort((a, b) => b.n - a.n || a.name.localeCompare(b.name))
        .slice(0, 3);
      out.push({
        path: ['sites', site.index],
        target: siteTarget(site.name),
        message: `Site '${site.name}': its Terraform stack would hold ~${fmt(total)} resources, more than ${fmt(STACK_RESOURCE_WARNING)}; every plan and apply of the site refreshes all of them.`,
        hint: `Give the largest pools a stack of their own with stack: own (${largest.map((p) => `${p.name}: ${fmt(p.n)}`).join(', ')}) before they are first applied; moving a deployed pool recreates its nodes.`,
      });
    }
    return out;
  },
};
