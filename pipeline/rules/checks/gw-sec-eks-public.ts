import { coverageText, PUBLIC_BOUND_TEXT, publicCoverage } from '../../model/network';
import type { Finding, Rule } from '../rule';

/** A public EKS endpoint needs explicit CIDRs, never the whole internet (in any notation). */
export const secEksPublic: Rule = {
  id: 'GW-SEC-EKS-PUBLIC',
  severity: 'error',
  category: 'security',
  title: `The EKS endpoint is private, or public only to CIDRs that together cover at most ${PUBLIC_BOUND_TEXT}`,
  explanation:
    'gigawatt makes the Kubernetes API private by default. A public endpoint must name the networks allowed to reach it. The CIDRs are judged by the address space they cover, not by how they are written: their union (overlaps counted once), less private, loopback, link-local, CGNAT, documentation, multicast and reserved ranges, may hold at most 16,777,216 public IPv4 addresses (one /8). 0.0.0.0/0, [0.0.0.0/1, 128.0.0.0/1], four /2s or any other cover of the internet expose the control plane of the whole fleet and are the same finding.',
  relatedIds: ['CKV_AWS_39', 'CKV_AWS_38', 'Trivy AWS-0040', 'Trivy AWS-0041', 'AwsSolutions-EKS1'],
  check(plan) {
    const k = plan.kubernetes;
    const out: Finding[] = [];
    if (k.endpoint !== 'public') return out;
    if (!k.publicAccessCidrs.length) {
      out.push({
        path: ['kubernetes', 'endpoint'],
        target: 'kubernetes',
        message: 'kubernetes.endpoint is public but no publicAccessCidrs are given.',
        hint: 'List the CIDRs allowed to reach the API in kubernetes.publicAccessCidrs, or use endpoint: private.',
      });
      return out;
    }
    const coverage = publicCoverage(k.publicAccessCidrs);
    if (coverage.open) {
      const shown = k.publicAccessCidrs.slice(0, 8).join(', ');
      const more = k.publicAccessCidrs.length > 8 ? ` and ${k.publicAccessCidrs.length - 8} more` : '';
      out.push({
        path: ['kubernetes', 'publicAccessCidrs'],
        target: 'kubernetes',
        message: `kubernetes.publicAccessCidrs opens the EKS API to the internet: ${shown}${more} cover${k.publicAccessCidrs.length === 1 ? 's' : ''} ${coverageText(coverage)}, more than the bound of ${PUBLIC_BOUND_TEXT}.`,
        hint: 'Use your office or VPN ranges.',
      });
    }
    return out;
  },
};
