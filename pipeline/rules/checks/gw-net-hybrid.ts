import { fallsShort } from '../../util/exact';
import { isRfc1918, overlaps, prefixOf, cidrSize } from '../../model/network';
import type { Finding, Rule } from '../rule';
import { siteTarget } from '../rule';
import { fmt } from '../select';

/** EKS Hybrid Nodes networks are private, disjoint and large enough. */
export const netHybrid: Rule = {
  id: 'GW-NET-HYBRID',
  severity: 'error',
  category: 'network',
  title:
    'Hybrid-node CIDRs are RFC 1918, /8 to /32, disjoint from each other, the VPC and the service CIDR, and hold the site’s nodes',
  explanation:
    'EKS Hybrid Nodes require remote node and pod networks in RFC 1918 space, between /8 and /32, that do not overlap each other, the cluster VPC or the Kubernetes service CIDR; a node whose IP falls outside the node CIDRs fails at nodeadm init. gigawatt checks that the node CIDRs hold one address per node; pod CIDR sizing depends on the CNI and is checked only for overlap.',
  relatedIds: ['EKS API RemoteNodeNetwork'],
  check(plan) {
    const out: Finding[] = [];
    for (const site of plan.sites) {
      const hybrid = site.spec.hybrid;
      if (!hybrid) continue;
      const target = siteTarget(site.name);
      const cluster = plan.siteByName.get(hybrid.cluster);
      if (cluster && cluster.provider !== 'aws')
        out.push({
          path: ['sites', site.index, 'hybrid', 'cluster'],
          target,
          message: `Site '${site.name}' joins '${hybrid.cluster}', which is not an AWS site with an EKS cluster.`,
          hint: 'Name an AWS site.',
        });
      const entries = [
        ...hybrid.remoteNodeCidrs.map((c, i) => ({
          cidr: c,
          path: ['sites', site.index, 'hybrid', 'remoteNodeCidrs', i],
          kind: 'node',
        })),
        ...(hybrid.remotePodCidrs ?? []).map((c, i) => ({
          cidr: c,
          path: ['sites', site.index, 'hybrid', 'remotePodCidrs', i],
          kind: 'pod',
        })),
      ];
      const vpcs = (cluster?.fabrics ?? [])
        .filter((f) => f.spec.vpcCidr)
        .map((f) => ({ name: `VPC of fabric '${f.name}'`, cidr: f.spec.vpcCidr! }));
      const others = [...vpcs, { name: 'the service CIDR', cidr: plan.kubernetes.serviceCidr }];
      entries.forEach((e, i) => {
        if (!isRfc1918(e.cidr) || prefixOf(e.cidr) < 8)
          out.push({
            path: e.path,
            target,
            message: `Remote ${e.kind} CIDR ${e.cidr} of site '${site.name}' is not an RFC 1918 range of /8 to /32.`,
            hint: 'Use space inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.',
          });
        for (const o of others)
          if (overlaps(e.cidr, o.cidr))
            out.push({
              path: e.path,
              target,
              message: `Remote ${e.kind} CIDR ${e.cidr} of site '${site.name}' overlaps ${o.name} (${o.cidr}).`,
              hint: 'Pick a disjoint range.',
            });
        for (const f of entries.slice(i + 1))
          if (overlaps(e.cidr, f.cidr))
            out.push({
              path: f.path,
              target,
              message: `Remote CIDRs ${e.cidr} and ${f.cidr} of site '${site.name}' overlap.`,
              hint: 'Make every remote node and pod CIDR disjoint.',
            });
      });
      const nodes = site.pools.reduce((n, p) => n + p.kubernetesNodes, 0);
      const capacity = hybrid.remoteNodeCidrs.reduce((n, c) => n + cidrSize(c), 0);
      if (fallsShort(capacity, nodes))
        out.push({
          path: ['sites', site.index, 'hybrid', 'remoteNodeCidrs'],
          target,
          message: `Site '${site.name}': the remote node CIDRs hold ${fmt(capacity)} addresses for ${fmt(nodes)} nodes.`,
          hint: 'Add or widen remote node CIDRs.',
        });
    }
    return out;
  },
};
