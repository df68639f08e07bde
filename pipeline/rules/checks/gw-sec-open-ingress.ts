import { coverageText, PUBLIC_BOUND_TEXT, publicCoverage } from '../../model/network';
import type { Finding, Rule } from '../rule';
import { fabricTarget } from '../rule';

/** Security groups the plan attaches never allow ingress from the internet (in any notation). */
export const secOpenIngress: Rule = {
  id: 'GW-SEC-OPEN-INGRESS',
  severity: 'error',
  category: 'security',
  title: `Together, the security groups of a fabric allow ingress from at most ${PUBLIC_BOUND_TEXT}`,
  explanation:
    "Accelerator nodes sit in private subnets behind VPC endpoints; a group open to the internet on the EFA interfaces exposes every node of the pool. Every extra group of a fabric is attached to every pool interface, so the ingress CIDRs of all of them are judged together, with the remote node and pod CIDRs of the hybrid sites that join the cluster (gigawatt allows all traffic from them into the cluster and node security group of the VPC's first fabric), by the address space they cover: their union (overlaps counted once), less private, loopback, link-local, CGNAT, documentation, multicast and reserved ranges, may hold at most 16,777,216 public IPv4 addresses (one /8). 0.0.0.0/0, [0.0.0.0/1, 128.0.0.0/1], halves split over two groups, or public remote CIDRs of a hybrid site (whose GW-NET-HYBRID finding a waiver can hide) are the same finding.",
  relatedIds: ['CKV_AWS_277', 'Trivy AWS-0107', 'KICS 4728cd65', 'AwsSolutions-EC23'],
  check(plan) {
    const out: Finding[] = [];
    for (const f of plan.fabrics) {
      const groups = f.spec.securityGroups ?? [];
      // The VPC's first fabric hosts the cluster: its node security group takes all traffic from the remote
      // node and pod networks of every hybrid site joining the cluster (constructs/network-fabric.ts).
      const hybrid =
        f.site && f.site.vpcFabrics[0] === f
          ? plan.sites
              .filter((s) => s.spec.hybrid?.cluster === f.site!.name)
              .map((s) => ({
                site: s,
                cidrs: [...s.spec.hybrid!.remoteNodeCidrs, ...(s.spec.hybrid!.remotePodCidrs ?? [])],
              }))
          : [];
      const cidrs = [...groups.flatMap((sg) => sg.ingressCidrs ?? []), ...hybrid.flatMap((h) => h.cidrs)];
      const coverage = publicCoverage(cidrs);
      if (!coverage.open) continue;
      // Point at the one group or hybrid site that opens public space when there is one, else at the fabric's groups.
      const exposing = groups
        .map((sg, i) => ({ sg, i }))
        .filter(({ sg }) => publicCoverage(sg.ingressCidrs ?? []).ipv4 > 0);
      const remote = hybrid.filter((h) => publicCoverage(h.cidrs).ipv4 > 0);
      const names = exposing.map(({ sg }) => `'${sg.name}'`).join(', ');
      const sites = remote.map((h) => `'${h.site.name}'`).join(', ');
      const one = exposing.length + remote.length === 1;
      const shown = cidrs.slice(0, 8).join(', ') + (cidrs.length > 8 ? ` and ${cidrs.length - 8} more` : '');
      const cover = `${shown} cover${cidrs.length === 1 ? 's' : ''} ${coverageText(coverage)}, more than the bound of ${PUBLIC_BOUND_TEXT}.`;
      const groupsText = `Security group${exposing.length === 1 ? '' : 's'} ${names}`;
      const message = remote.length
        ? `Fabric '${f.name}' allows ingress from the internet: the remote node and pod CIDRs of hybrid site${remote.length === 1 ? '' : 's'} ${sites} are allowed into its cluster security group${exposing.length ? `, with ${groupsText}` : ''}; ${cover}`
        : `${groupsText} of fabric '${f.name}' allow${exposing.length === 1 ? 's' : ''} ingress from the internet: ${cover}`;
      out.push({
        path:
          one && exposing.length === 1
            ? ['fabrics', f.index, 'securityGroups', exposing[0]!.i, 'ingressCidrs']
            : one && remote.length === 1
              ? ['sites', remote[0]!.site.index, 'hybrid']
              : ['fabrics', f.index, 'securityGroups'],
        target: fabricTarget(f.name),
        message,
        hint: remote.length
          ? 'Use RFC 1918 remote node and pod CIDRs (GW-NET-HYBRID), and allow only the networks that need access.'
          : 'Allow only the networks that need access.',
      });
    }
    return out;
  },
};
