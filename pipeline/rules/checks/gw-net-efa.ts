import { efaInterfaceLayout } from '../../model/efa';
import type { Finding, Rule } from '../rule';
import { fabricTarget, poolTarget } from '../rule';
import { awsPools } from '../select';

/** EFA pools: a type with EFA, one subnet/AZ, security groups with self rules, no placement group on Capacity Blocks. */
export const netEfa: Rule = {
  id: 'GW-NET-EFA',
  severity: 'error',
  category: 'network',
  title:
    'EFA pools use an EFA type with its per-card layout, live in one subnet/AZ, and every security group allows all traffic to and from itself',
  explanation:
    'EFA works only between instances of one subnet in one AZ; each network card takes at most one EFA interface (primary ENA on card 0, efa-only elsewhere; p6-b300 card 0 is ENA-only; p6e-gb200 uses cards 0, 1, 5, 9, 13). EFA traffic matches only security-group rules that reference a group, so every group on the interfaces needs all-traffic ingress and egress to itself: 0.0.0.0/0 egress is not enough. A cluster placement group on a Capacity Block pool fails with insufficient capacity: the block has its own placement. A type whose EFA interface limit is not published (p6e-gb200, Trn3) gets no EFA unless the pool asks, and gigawatt warns that EFA is off.',
  relatedIds: [
    'ParallelCluster EfaValidator',
    'EfaMultiAzValidator',
    'EfaSecurityGroupValidator',
    'PlacementGroupCapacityTypeValidator',
    'terraform-aws-eks #3730',
  ],
  check(plan) {
    const out: Finding[] = [];
    for (const p of awsPools(plan)) {
      const target = poolTarget(p.name);
      const maxEfa = p.instance!.network.maxEfaInterfaces?.value;
      if (p.spec.efa === true && maxEfa === 0)
        out.push({
          path: ['pools', p.index, 'efa'],
          target,
          message: `Pool '${p.name}': ${p.typeName} does not support EFA.`,
          hint: 'Set efa: false or use an EFA type (e.g. trn1.32xlarge, p5.48xlarge).',
        });
      if (p.spec.efa === true && maxEfa === undefined && p.instance!.network.efaLayout.value !== 'gb200')
        out.push({
          path: ['pools', p.index, 'efa'],
          target,
          severity: 'warning',
          message: `Pool '${p.name}': the EFA interface limit of ${p.typeName} is not published; the interface layout is an assumption.`,
          hint: 'Check DescribeInstanceTypes EfaInfo before deploying.',
        });
      if (p.spec.efa === undefined && maxEfa === undefined)
        out.push({
          path: ['pools', p.index, 'instanceType'],
          target,
          severity: 'warning',
          message: `Pool '${p.name}': EFA is off for ${p.typeName}: its family uses EFA, but no EFA interface limit is published for the type, so gigawatt does not attach EFA by default.`,
          hint: 'Set efa: true to attach EFA with the documented layout (check DescribeInstanceTypes EfaInfo), or efa: false to run without it.',
        });
      if (!p.efa) continue;
      const layout = efaInterfaceLayout(p.instance!);
      const cards = p.instance!.network.networkCards?.value ?? 1;
      const perCard = new Map<number, number>();
      for (const s of layout.filter((x) => x.interfaceType === 'efa-only'))
        perCard.set(s.networkCardIndex, (perCard.get(s.networkCardIndex) ?? 0) + 1);
      if (
        [...perCard.entries()].some(([card, n]) => n > 1 || card >= cards) ||
        (maxEfa !== undefined && perCard.size > maxEfa)
      )
        out.push({
          path: ['pools', p.index, 'instanceType'],
          target,
          message: `Pool '${p.name}': the EFA layout of ${p.typeName} exceeds one EFA per network card or the type's ${maxEfa} EFA interfaces.`,
          hint: 'Fix the catalog entry of the type.',
        });
      if (!p.fabric)
        out.push({
          path: ['pools', p.index],
          target,
          message: `Pool '${p.name}' uses EFA but names no fabric, so gigawatt cannot pin it to one subnet.`,
          hint: 'Add fabric: <name> with one availabilityZone.',
        });
      else if (!p.fabric.spec.availabilityZone)
        out.push({
          path: ['fabrics', p.fabric.index],
          target: fabricTarget(p.fabric.name),
          message: `Fabric '${p.fabric.name}' carries EFA pool '${p.name}' but names no availabilityZone; EFA does not cross subnets or AZs.`,
          hint: 'Add availabilityZone, e.g. us-east-2b.',
        });
      for (const [i, sg] of (p.fabric?.spec.securityGroups ?? []).entries())
        if (!sg.selfIngressAllTraffic || !sg.selfEgressAllTraffic)
          out.push({
            path: ['fabrics', p.fabric!.index, 'securityGroups', i],
            target: fabricTarget(p.fabric!.name),
            message: `Security group '${sg.name}' is attached to the EFA interfaces of pool '${p.name}' but lacks all-traffic ${!sg.selfIngressAllTraffic ? 'ingress' : 'egress'} to itself; NCCL over EFA fails with handshake errors.`,
            hint: 'Set selfIngressAllTraffic: true and selfEgressAllTraffic: true (0.0.0.0/0 egress does not cover EFA).',
          });
      if (p.capacityType === 'capacity-block' && p.spec.placementGroup === true)
        out.push({
          path: ['pools', p.index, 'placementGroup'],
          target,
          message: `Pool '${p.name}': a cluster placement group on a Capacity Block fails with insufficient capacity (the block has its own placement).`,
          hint: 'Remove placementGroup (gigawatt never adds one to Capacity Block pools).',
        });
    }
    return out;
  },
};
