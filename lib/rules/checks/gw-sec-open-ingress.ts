import type { Finding, Rule } from '../rule';
import { fabricTarget } from '../rule';

/** Security groups the plan attaches never allow ingress from the internet. */
export const secOpenIngress: Rule = {
  id: 'GW-SEC-OPEN-INGRESS',
  severity: 'error',
  category: 'security',
  title: 'No security group of a fabric allows ingress from 0.0.0.0/0',
  explanation:
    'Accelerator nodes sit in private subnets behind VPC endpoints; a group open to the internet on the EFA interfaces exposes every node of the pool.',
  relatedIds: ['CKV_AWS_277', 'Trivy AWS-0107', 'KICS 4728cd65', 'AwsSolutions-EC23'],
  check(plan) {
    const out: Finding[] = [];
    for (const f of plan.fabrics)
      (f.spec.securityGroups ?? []).forEach((sg, i) =>
        (sg.ingressCidrs ?? []).forEach((c, j) => {
          if (c.endsWith('/0'))
            out.push({
              path: ['fabrics', f.index, 'securityGroups', i, 'ingressCidrs', j],
              target: fabricTarget(f.name),
              message: `Security group '${sg.name}' of fabric '${f.name}' allows ingress from ${c}.`,
              hint: 'Allow only the networks that need access.',
            });
        }),
      );
    return out;
  },
};
