import { hostsEksCluster } from '../../model/stacks';
import { isRfc1918, networkCidr, overlaps, prefixOf } from '../../model/network';
import type { ResolvedPlan } from '../../model';
import type { PlanPath } from '../../schema/source';
import type { Finding, Rule } from '../rule';
import { fabricTarget, siteTarget } from '../rule';

interface PlanCidr {
  readonly cidr: string;
  readonly path: PlanPath;
  readonly target: string;
}

/** Every IPv4 CIDR the plan gives, with where it is and the waiver target of its owner. */
function planCidrs(plan: ResolvedPlan): PlanCidr[] {
  const out: PlanCidr[] = [];
  for (const f of plan.fabrics) {
    const target = fabricTarget(f.name);
    if (f.spec.vpcCidr) out.push({ cidr: f.spec.vpcCidr, path: ['fabrics', f.index, 'vpcCidr'], target });
    (f.spec.securityGroups ?? []).forEach((sg, g) =>
      (sg.ingressCidrs ?? []).forEach((cidr, i) =>
        out.push({ cidr, path: ['fabrics', f.index, 'securityGroups', g, 'ingressCidrs', i], target }),
      ),
    );
  }
  for (const s of plan.sites) {
    const h = s.spec.hybrid;
    if (!h) continue;
    const target = siteTarget(s.name);
    h.remoteNodeCidrs.forEach((cidr, i) =>
      out.push({ cidr, path: ['sites', s.index, 'hybrid', 'remoteNodeCidrs', i], target }),
    );
    (h.remotePodCidrs ?? []).forEach((cidr, i) =>
      out.push({ cidr, path: ['sites', s.index, 'hybrid', 'remotePodCidrs', i], target }),
    );
  }
  const k = plan.spec.kubernetes;
  (k?.publicAccessCidrs ?? []).forEach((cidr, i) =>
    out.push({ cidr, path: ['kubernetes', 'publicAccessCidrs', i], target: 'kubernetes' }),
  );
  if (k?.serviceCidr)
    out.push({ cidr: k.serviceCidr, path: ['kubernetes', 'serviceCidr'], target: 'kubernetes' });
  return out;
}

/** CIDRs are written as network addresses. */
export const netCidrForm: Rule = {
  id: 'GW-NET-CIDR-FORM',
  severity: 'error',
  category: 'network',
  title: 'Every CIDR in the plan is written with its network address (no host bits set)',
  explanation:
    'A CIDR such as 10.64.0.1/16 names the same block as 10.64.0.0/16, but the AWS provider refuses it at terraform validate: a VPC, the EKS service CIDR, security-group rules and the EKS remote networks all need the network address ("expected cidr_block to contain a valid network Value, expected 10.64.0.0/16, got 10.64.0.1/16", hashicorp/aws 5.100.0). gigawatt would otherwise pass a plan whose synthesized Terraform cannot be planned.',
  check(plan) {
    return planCidrs(plan).flatMap(({ cidr, path, target }): Finding[] => {
      const network = networkCidr(cidr);
      return network === cidr
        ? []
        : [
            {
              path,
              target,
              message: `CIDR ${cidr} has host bits set; its block is ${network}, and Terraform accepts only that form.`,
              hint: `Write ${network}.`,
            },
          ];
    });
  },
};

/**
 * The Kubernetes service CIDR of an EKS cluster: "Within one of the following private IP address blocks:
 * 10.0.0.0/8, 172.16.0.0/12, or 192.168.0.0/16. Doesn't overlap with any CIDR block assigned to the VPC …
 * Between /24 and /12." (Amazon EKS API Reference, KubernetesNetworkConfigRequest serviceIpv4Cidr,
 * https://docs.aws.amazon.com/eks/latest/APIReference/API_KubernetesNetworkConfigRequest.html).
 */
export const SERVICE_CIDR_PREFIX = { widest: 12, narrowest: 24 } as const;

/** The service CIDR is one EKS accepts. */
export const netServiceCidr: Rule = {
  id: 'GW-NET-SERVICE-CIDR',
  severity: 'error',
  category: 'network',
  title: 'The Kubernetes service CIDR is RFC 1918, /12 to /24, and overlaps no VPC of an EKS cluster',
  explanation:
    'EKS requires the service CIDR (serviceIpv4Cidr) to lie in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, to be between /12 and /24, and not to overlap any CIDR of the cluster VPC (Amazon EKS API Reference, KubernetesNetworkConfigRequest); CreateCluster refuses anything else, and it cannot be changed once the cluster exists. gigawatt checks it against every VPC of each AWS site that hosts a cluster.',
  relatedIds: ['EKS API KubernetesNetworkConfigRequest'],
  check(plan) {
    const cidr = plan.kubernetes.serviceCidr;
    // The sites constructs/stacks.ts builds an EKS cluster for: every AWS site with a VPC fabric, pools or not.
    const aws = plan.sites.filter(hostsEksCluster);
    if (!aws.length) return [];
    const path: PlanPath = ['kubernetes', 'serviceCidr'];
    const out: Finding[] = [];
    const bits = prefixOf(cidr);
    if (!isRfc1918(cidr) || bits < SERVICE_CIDR_PREFIX.widest || bits > SERVICE_CIDR_PREFIX.narrowest)
      out.push({
        path,
        target: 'kubernetes',
        message: `kubernetes.serviceCidr ${cidr} is not an RFC 1918 block of /${SERVICE_CIDR_PREFIX.widest} to /${SERVICE_CIDR_PREFIX.narrowest}; EKS refuses it.`,
        hint: 'Use a /12 to /24 inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, e.g. the default 172.20.0.0/16.',
      });
    for (const site of aws)
      for (const f of site.vpcFabrics)
        if (f.spec.vpcCidr && overlaps(cidr, f.spec.vpcCidr))
          out.push({
            path,
            target: 'kubernetes',
            message: `kubernetes.serviceCidr ${cidr} overlaps the VPC of fabric '${f.name}' (${f.spec.vpcCidr}) on site '${site.name}'; EKS refuses a service CIDR inside its VPC.`,
            hint: 'Pick a service CIDR disjoint from every VPC, e.g. 172.20.0.0/16 when the VPCs are in 10.0.0.0/8.',
          });
    return out;
  },
};
