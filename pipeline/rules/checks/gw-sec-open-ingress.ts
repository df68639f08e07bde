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
    'Accelerator nodes sit in private subnets behind VPC endpoints; a group open to the internet on the EFA interfaces exposes every node of the pool. Every extra group of a fabric is attached to every pool interface, so the ingress CIDRs of all of them are judged together, by the address space they cover: their union (overlaps counted once), less private, loopback, link-local, CGNAT, documentation, multicast and reserved ranges, may hold at most 16,777,216 public IPv4 addresses (one /8). 0.0.0.0/0, [0.0.0.0/1, 128.0.0.0/1], or halves split over two groups are the same finding.',
  relatedIds: ['CKV_AWS_277', 'Trivy AWS-0107', 'KICS 4728cd65', 'AwsSolutions-EC23'],
  check(plan) {
    const out: Finding[] = [];
    for (const f of plan.fabrics) {
      const groups = f.spec.securityGroups ?? [];
      const cidrs = groups.flatMap((sg) => sg.ingressCidrs ?? []);
      const coverage = publicCoverage(cidrs);
      if (!coverage.open) continue;
      // Point at the one group that opens public space when there is one, else at the fabric's groups.
      const exposing = groups
        .map((sg, i) => ({ sg, i }))
        .filter(({ sg }) => publicCoverage(sg.ingressCidrs ?? []).ipv4 > 0);
      const names = exposing.map(({ sg }) => `'${sg.name}'`).join(', ');
      const shown = cidrs.slice(0, 8).join(', ') + (cidrs.length > 8 ? ` and ${cidrs.length - 8} more` : '');
      out.push({
        path:
          exposing.length === 1
            ? ['fabrics', f.index, 'securityGroups', exposing[0]!.i, 'ingressCidrs']
            : ['fabrics', f.index, 'securityGroups'],
        target: fabricTarget(f.name),
        message: `Security group${exposing.length === 1 ? '' : 's'} ${names} of fabric '${f.name}' allow${exposing.length === 1 ? 's' : ''} ingress from the internet: ${shown} cover${cidrs.length === 1 ? 's' : ''} ${coverageText(coverage)}, more than the bound of ${PUBLIC_BOUND_TEXT}.`,
        hint: 'Allow only the networks that need access.',
      });
    }
    return out;
  },
};
