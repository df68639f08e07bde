import type { Finding, Rule } from '../rule';

/** A public EKS endpoint needs explicit CIDRs, never the whole internet. */
export const secEksPublic: Rule = {
  id: 'GW-SEC-EKS-PUBLIC',
  severity: 'error',
  category: 'security',
  title: 'The EKS endpoint is private, or public only to explicit CIDRs other than 0.0.0.0/0',
  explanation:
    'gigawatt makes the Kubernetes API private by default. A public endpoint must name the networks allowed to reach it; 0.0.0.0/0 exposes the control plane of the whole fleet to the internet.',
  relatedIds: ['CKV_AWS_39', 'CKV_AWS_38', 'Trivy AWS-0040', 'Trivy AWS-0041', 'AwsSolutions-EKS1'],
  check(plan) {
    const k = plan.kubernetes;
    const out: Finding[] = [];
    if (k.endpoint !== 'public') return out;
    if (!k.publicAccessCidrs.length)
      out.push({
        path: ['kubernetes', 'endpoint'],
        target: 'kubernetes',
        message: 'kubernetes.endpoint is public but no publicAccessCidrs are given.',
        hint: 'List the CIDRs allowed to reach the API in kubernetes.publicAccessCidrs, or use endpoint: private.',
      });
    k.publicAccessCidrs.forEach((c, i) => {
      if (c.endsWith('/0'))
        out.push({
          path: ['kubernetes', 'publicAccessCidrs', i],
          target: 'kubernetes',
          message: `kubernetes.publicAccessCidrs opens the EKS API to the internet (${c}).`,
          hint: 'Use your office or VPN ranges.',
        });
    });
    return out;
  },
};
