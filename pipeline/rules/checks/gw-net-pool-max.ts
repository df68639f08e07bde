import type { Finding, Rule } from '../rule';
import { poolTarget } from '../rule';
import { fmt } from '../select';

/** A pool stays within the maxInstances its node subnet was sized for. */
export const netPoolMax: Rule = {
  id: 'GW-NET-POOL-MAX',
  severity: 'error',
  category: 'network',
  title: 'A pool’s instances stay within its maxInstances',
  explanation:
    'The node subnet of a fabric is sized for the maxInstances of its pools, so that scaling a pool up to it changes only node-group sizes. Growing past it makes the subnet larger: Terraform replaces the subnet (cidr_block forces a new resource) and with it every node in it, across all pools of the fabric. Raising maxInstances is that decision, taken explicitly.',
  check(plan) {
    const out: Finding[] = [];
    for (const p of plan.pools) {
      const max = p.spec.maxInstances;
      if (max === undefined) continue;
      if (p.kind !== 'ec2' || p.spec.instances === undefined)
        out.push({
          path: ['pools', p.index, 'maxInstances'],
          target: poolTarget(p.name),
          severity: 'warning',
          message: `Pool '${p.name}': maxInstances applies to EC2 pools (instances), not to on-prem systems; it is ignored.`,
          hint: 'Remove maxInstances from this pool.',
        });
      else if (p.spec.instances > max)
        out.push({
          path: ['pools', p.index, 'instances'],
          target: poolTarget(p.name),
          message: `Pool '${p.name}' has ${fmt(p.spec.instances)} instances, more than its maxInstances ${fmt(max)}: the node subnet sized for ${fmt(max)} may grow, which replaces the subnet and every node of fabric '${p.fabric?.name ?? '?'}'.`,
          hint: `Keep instances ≤ ${fmt(max)}, or raise maxInstances knowing that a larger subnet recycles the fabric's nodes (check with gigawatt diff --fail-on-recycle).`,
        });
    }
    return out;
  },
};
