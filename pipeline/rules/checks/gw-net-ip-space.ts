import { fallsShort } from '../../util/exact';
import {
  cidrRange,
  fabricIpDemand,
  ipDemand,
  prefixOf,
  smallestPrefixFor,
  usableAddresses,
} from '../../model/network';
import type { Finding, Rule } from '../rule';
import { fabricTarget } from '../rule';
import { fmt, listed } from '../select';

/** Each fabric's node subnet holds every node and pod address its pools need. */
export const netIpSpace: Rule = {
  id: 'GW-NET-IP-SPACE',
  severity: 'error',
  category: 'network',
  title: 'Each node subnet holds the addresses of all its nodes and pods (size minus the 5 AWS reserves)',
  explanation:
    'Every node takes one address per IP-consuming interface (EFA-only interfaces take none) and the VPC CNI takes one per pod up to the type’s max pods (or whole /28 prefixes with prefix delegation). The synthesized vpc-cni add-on sets WARM_IP_TARGET=1, so a node holds no spare ENI of addresses beyond that (amazon-vpc-cni-k8s docs/eni-and-ip-target.md); its prefix delegation is one setting per cluster. AWS reserves five addresses in every subnet. A subnet that is too small fails launches with InsufficientFreeAddressesInSubnet after apply.',
  relatedIds: ['ParallelCluster dry run InsufficientFreeAddressesInSubnet'],
  check(plan) {
    const out: Finding[] = [];
    // One vpc-cni add-on per cluster: its prefix-delegation setting applies to every fabric of the site.
    for (const site of plan.sites.filter((s) => s.provider === 'aws')) {
      const withVpc = site.vpcFabrics;
      const on = withVpc.filter((f) => f.spec.prefixDelegation === true);
      if (on.length && on.length < withVpc.length) {
        const off = withVpc.find((f) => f.spec.prefixDelegation !== true)!;
        out.push({
          path: ['fabrics', off.index],
          target: fabricTarget(off.name),
          message: `Site '${site.name}': fabric '${on[0].name}' turns prefixDelegation on and fabric '${off.name}' does not, but the cluster's one VPC CNI add-on sets it for every node.`,
          hint: 'Set the same prefixDelegation on every fabric of the site.',
        });
      }
    }
    for (const f of plan.fabrics) {
      const pools = f.pools.filter((p) => p.kind === 'ec2');
      if (!pools.length || !f.spec.vpcCidr) {
        if (pools.length && f.site?.provider === 'aws')
          out.push({
            path: ['fabrics', f.index],
            target: fabricTarget(f.name),
            message: `Fabric '${f.name}' has EC2 pools (${listed(pools.map((p) => p.name))}) but no vpcCidr.`,
            hint: 'Add vpcCidr, e.g. 10.64.0.0/16.',
          });
        continue;
      }
      const pd = f.spec.prefixDelegation ?? false;
      const demand = fabricIpDemand(f);
      const detail = listed(
        pools.map((p) => `${p.name} ${fmt(p.maxNodes)} × ${ipDemand(p, pd, f.spec.maxPodsPerNode).perNode}`),
      );
      const unknownPods = pools
        .filter((p) => ipDemand(p, pd, f.spec.maxPodsPerNode).podsUnknown)
        .map((p) => p.typeName);
      if (unknownPods.length)
        out.push({
          path: ['fabrics', f.index],
          target: fabricTarget(f.name),
          severity: 'warning',
          message: `Fabric '${f.name}': the VPC CNI max pods of ${listed([...new Set(unknownPods)])} is not published; pod addresses of those pools are not counted.`,
          hint: 'Check the node max-pods on a test node and size subnetPrefixLength with margin.',
        });
      const vpcPrefix = prefixOf(f.spec.vpcCidr);
      const needed = smallestPrefixFor(demand);
      if (f.spec.subnetPrefixLength !== undefined) {
        if (f.spec.subnetPrefixLength <= vpcPrefix)
          out.push({
            path: ['fabrics', f.index, 'subnetPrefixLength'],
            target: fabricTarget(f.name),
            message: `Fabric '${f.name}': a /${f.spec.subnetPrefixLength} subnet leaves no room in the VPC ${f.spec.vpcCidr} for the control-plane subnets (the node subnet may use at most half of it).`,
            hint: `Use a prefix of /${vpcPrefix + 1} or longer, or a larger vpcCidr.`,
          });
        else if (fallsShort(usableAddresses(f.spec.subnetPrefixLength), demand))
          out.push({
            path: ['fabrics', f.index, 'subnetPrefixLength'],
            target: fabricTarget(f.name),
            message: `Fabric '${f.name}': the /${f.spec.subnetPrefixLength} node subnet has ${fmt(usableAddresses(f.spec.subnetPrefixLength))} usable addresses but its pools need ${fmt(demand)} (${detail}).`,
            hint:
              needed !== undefined && needed > vpcPrefix
                ? `Use subnetPrefixLength ${needed} or shorter${pd ? '' : ', or turn on prefixDelegation'}.`
                : 'Split the pools over several fabrics or turn on prefixDelegation.',
          });
      } else if (needed === undefined || needed <= vpcPrefix) {
        const [first, last] = cidrRange(f.spec.vpcCidr);
        out.push({
          path: ['fabrics', f.index, 'vpcCidr'],
          target: fabricTarget(f.name),
          message: `Fabric '${f.name}': its pools need ${fmt(demand)} addresses (${detail}) but the VPC ${f.spec.vpcCidr} holds ${fmt(last - first + 1)}, of which the node subnet may use half${needed === undefined ? ' (and one AWS subnet holds at most 65,531)' : ''}.`,
          hint: `${pd ? '' : 'Turn on prefixDelegation, '}use a larger vpcCidr, or split the pools over several fabrics.`,
        });
      }
    }
    return out;
  },
};
