import { systemNames } from '../../catalog';
import { unknownInstanceType, unknownSystem } from '../../schema/catalog-names';
import type { Finding, Rule } from '../rule';
import { poolTarget } from '../rule';

/** Each pool names a known EC2 instance type (AWS sites) or on-prem system (on-prem sites) and a count. */
export const planPoolType: Rule = {
  id: 'GW-PLAN-POOL-TYPE',
  severity: 'error',
  category: 'plan',
  title: 'Each pool names a catalog instance type (AWS) or system (on-prem), and a node count',
  explanation:
    'Capacity, power, network and cost checks all read the catalog entry of the pool. An unknown or misspelt type would make them pass silently, so it fails here with the nearest known names. AWS pools count `instances`; on-prem pools count `nodes`.',
  check(plan) {
    const out: Finding[] = [];
    for (const p of plan.pools) {
      const where = (key: string) => ['pools', p.index, key];
      const target = poolTarget(p.name);
      const provider = p.site?.provider;
      const spec = p.spec;
      if (spec.instanceType !== undefined && spec.system !== undefined)
        out.push({
          path: where('system'),
          target,
          message: `Pool '${p.name}' sets both instanceType and system.`,
          hint: 'Use instanceType for AWS sites and system for on-prem sites.',
        });
      if (provider === 'aws' && spec.instanceType === undefined)
        out.push({
          path: ['pools', p.index],
          target,
          message: `Pool '${p.name}' is in AWS site '${p.site?.name}' but has no instanceType.`,
          hint: 'Add instanceType, e.g. p5.48xlarge.',
        });
      if (provider === 'onprem' && spec.system === undefined)
        out.push({
          path: ['pools', p.index],
          target,
          message: `Pool '${p.name}' is in on-prem site '${p.site?.name}' but has no system.`,
          hint: `Add system, one of: ${systemNames().join(', ')}.`,
        });
      if (spec.instanceType !== undefined && !p.instance)
        out.push(unknownInstanceType(p.name, spec.instanceType, p.index));
      if (spec.system !== undefined && !p.system && spec.instanceType === undefined)
        out.push(unknownSystem(p.name, spec.system, p.index));
      if (provider === 'onprem' && spec.instanceType !== undefined)
        out.push({
          path: where('instanceType'),
          target,
          message: `Pool '${p.name}' names EC2 type '${spec.instanceType}' in on-prem site '${p.site?.name}'.`,
          hint: 'Use system: for on-prem hardware (e.g. dgx-h200).',
        });
      if (provider === 'aws' && spec.system !== undefined)
        out.push({
          path: where('system'),
          target,
          message: `Pool '${p.name}' names on-prem system '${spec.system}' in AWS site '${p.site?.name}'.`,
          hint: 'Use instanceType: for AWS pools.',
        });
      if (spec.instances === undefined && spec.nodes === undefined)
        out.push({
          path: ['pools', p.index],
          target,
          message: `Pool '${p.name}' has no size.`,
          hint: provider === 'onprem' ? 'Add nodes: <count>.' : 'Add instances: <count>.',
        });
      if (spec.instances !== undefined && spec.nodes !== undefined)
        out.push({
          path: where('nodes'),
          target,
          message: `Pool '${p.name}' sets both instances and nodes.`,
          hint: 'Use instances for AWS pools and nodes for on-prem pools.',
        });
      if (provider === 'aws' && p.site && p.site.spec.region === undefined)
        out.push({
          path: ['sites', p.site.index],
          target: `sites.${p.site.name}`,
          message: `AWS site '${p.site.name}' has no region.`,
          hint: 'Add region, e.g. us-east-2.',
        });
    }
    return out;
  },
};
