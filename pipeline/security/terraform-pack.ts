/**
 * The security rule pack for synthesized Terraform. Checkov, Trivy and KICS cannot be installed here, so
 * their checks for what gigawatt synthesizes live in this pack, each cross-referenced to their ids, and
 * close their known gaps (launch-template EBS encryption, missing IMDS hop limits). `gigawatt synth` runs it
 * on every stack and refuses to write a stack that fails it. CIDRs are judged by the public address space
 * their union covers (model/network.ts publicCoverage), the same helper as the plan rules, so no notation
 * (two /1s, four /2s, halves in two groups) gets past it.
 */
import { coverageText, PUBLIC_BOUND_TEXT_V6, publicCoverage } from '../model/network';

export interface SecurityRule {
  readonly id: string;
  readonly title: string;
  readonly relatedIds: readonly string[];
}

export interface SecurityFinding {
  readonly rule: string;
  readonly stack: string;
  readonly address: string;
  readonly message: string;
}

export const SECURITY_RULES: readonly SecurityRule[] = [
  {
    id: 'GW-SEC-IMDSV2',
    title: 'Launch templates require IMDSv2 with a response hop limit of 1',
    relatedIds: ['CKV_AWS_79', 'CKV_AWS_341', 'Trivy AWS-0130'],
  },
  {
    id: 'GW-SEC-EBS-ENCRYPTED',
    title: 'Launch-template EBS volumes are encrypted',
    relatedIds: [
      'CKV_AWS_8 (launch configurations only)',
      'Trivy AWS-0008 (launch configurations only)',
      'AwsSolutions-EC26',
    ],
  },
  {
    id: 'GW-SEC-EKS-ENDPOINT',
    title: `The EKS API endpoint is private, or public only to CIDRs that together cover at most ${PUBLIC_BOUND_TEXT_V6}`,
    relatedIds: ['CKV_AWS_39', 'CKV_AWS_38', 'Trivy AWS-0040', 'Trivy AWS-0041', 'AwsSolutions-EKS1'],
  },
  {
    id: 'GW-SEC-EKS-SECRETS',
    title: 'EKS secrets are envelope-encrypted with KMS',
    relatedIds: ['CKV_AWS_58', 'Trivy AWS-0039'],
  },
  {
    id: 'GW-SEC-EKS-LOGGING',
    title: 'All five EKS control-plane log types are enabled',
    relatedIds: ['CKV_AWS_37', 'Trivy AWS-0038', 'AwsSolutions-EKS2'],
  },
  {
    id: 'GW-SEC-NO-OPEN-INGRESS',
    title: `The ingress rules of a stack's security groups together allow ingress from at most ${PUBLIC_BOUND_TEXT_V6}`,
    relatedIds: ['CKV_AWS_277', 'CKV_AWS_24', 'Trivy AWS-0107', 'KICS 4728cd65', 'AwsSolutions-EC23'],
  },
  {
    id: 'GW-SEC-IAM-WILDCARD',
    title: 'No IAM policy allows "*" actions on "*" resources',
    relatedIds: ['CKV_AWS_62', 'CKV_AWS_63', 'CKV_AWS_1', 'Trivy AWS-0057', 'AwsSolutions-IAM5'],
  },
  {
    id: 'GW-SEC-STATE',
    title: 'An S3 state backend is encrypted and locked (use_lockfile)',
    relatedIds: ['CKV2_AWS_6 / CKV_AWS_21 (bucket side)', 'Terraform S3 backend use_lockfile'],
  },
  {
    id: 'GW-SEC-NODEGROUP-UPDATE',
    title: 'Node-group updates replace at most one node (or 10 %) at a time',
    relatedIds: ['EKS NodegroupUpdateConfig'],
  },
];

type Tf = {
  terraform?: { backend?: Record<string, Record<string, unknown>> };
  resource?: Record<string, Record<string, Record<string, unknown>>>;
};
/** CIDR values of a Terraform argument: literal strings; references (${...}) are not address space. */
const literalCidrs = (value: unknown): string[] =>
  [value].flat().filter((c): c is string => typeof c === 'string' && !c.includes('${'));
const listed = (cidrs: readonly string[]): string =>
  cidrs.slice(0, 8).join(', ') + (cidrs.length > 8 ? ` and ${cidrs.length - 8} more` : '');
const LOGS = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

function policyDocs(value: unknown): { Statement?: unknown }[] {
  if (typeof value !== 'string') return [];
  try {
    return [JSON.parse(value)];
  } catch {
    return [];
  }
}

/** Check one synthesized stack (its cdk.tf.json, parsed). */
export function checkTerraformStack(stack: string, tf: Tf): SecurityFinding[] {
  const out: SecurityFinding[] = [];
  const add = (rule: string, address: string, message: string) => out.push({ rule, stack, address, message });
  const each = (type: string, fn: (name: string, r: Record<string, unknown>) => void) => {
    for (const [name, r] of Object.entries(tf.resource?.[type] ?? {})) fn(`${type}.${name}`, r);
  };
  each('aws_launch_template', (a, r) => {
    const m = r.metadata_options as Record<string, unknown> | undefined;
    if (m?.http_tokens !== 'required')
      add(
        'GW-SEC-IMDSV2',
        a,
        `${a}: metadata_options.http_tokens is ${JSON.stringify(m?.http_tokens ?? null)}, not "required" (IMDSv1 allowed).`,
      );
    if (typeof m?.http_put_response_hop_limit !== 'number' || m.http_put_response_hop_limit > 1)
      add(
        'GW-SEC-IMDSV2',
        a,
        `${a}: metadata_options.http_put_response_hop_limit is ${JSON.stringify(m?.http_put_response_hop_limit ?? null)}; set 1 so pods cannot reach the node's credentials.`,
      );
    for (const b of (r.block_device_mappings ?? []) as { ebs?: { encrypted?: unknown } }[])
      if (`${b.ebs?.encrypted}` !== 'true')
        add('GW-SEC-EBS-ENCRYPTED', a, `${a}: an EBS volume is not encrypted.`);
  });
  each('aws_eks_cluster', (a, r) => {
    const v = (r.vpc_config ?? {}) as Record<string, unknown>;
    const cidrs = literalCidrs(v.public_access_cidrs ?? []);
    const coverage = publicCoverage(cidrs);
    if (v.endpoint_public_access !== false && (cidrs.length === 0 || coverage.open))
      add(
        'GW-SEC-EKS-ENDPOINT',
        a,
        cidrs.length
          ? `${a}: the API endpoint is public to ${listed(cidrs)}: ${coverageText(coverage)}, more than the bound of ${PUBLIC_BOUND_TEXT_V6}.`
          : `${a}: the API endpoint is public to the whole internet.`,
      );
    const enc = r.encryption_config as { resources?: string[] } | undefined;
    if (!enc?.resources?.includes('secrets'))
      add('GW-SEC-EKS-SECRETS', a, `${a}: Kubernetes secrets are not encrypted with a KMS key.`);
    const logs = (r.enabled_cluster_log_types ?? []) as string[];
    const missing = LOGS.filter((l) => !logs.includes(l));
    if (missing.length)
      add('GW-SEC-EKS-LOGGING', a, `${a}: control-plane logs missing: ${missing.join(', ')}.`);
  });
  // Ingress sources per group (standalone rules by their security_group_id, inline blocks by their group),
  // then over the whole stack: the node interfaces carry several groups at once, so halves of the
  // internet split over two groups open the nodes as much as 0.0.0.0/0 in one.
  const ingress = new Map<string, { address: string; cidrs: string[] }>();
  const addIngress = (group: string, address: string, cidrs: string[]) => {
    const entry = ingress.get(group) ?? { address, cidrs: [] };
    entry.cidrs.push(...cidrs);
    ingress.set(group, entry);
  };
  each('aws_vpc_security_group_ingress_rule', (a, r) =>
    addIngress(
      typeof r.security_group_id === 'string' ? r.security_group_id : a,
      a,
      literalCidrs([r.cidr_ipv4, r.cidr_ipv6]),
    ),
  );
  each('aws_security_group', (a, r) => {
    for (const i of (r.ingress ?? []) as { cidr_blocks?: unknown; ipv6_cidr_blocks?: unknown }[])
      addIngress(`\${${a}.id}`, a, literalCidrs([i?.cidr_blocks ?? [], i?.ipv6_cidr_blocks ?? []].flat()));
  });
  let flagged = false;
  for (const { address, cidrs } of ingress.values()) {
    const coverage = publicCoverage(cidrs);
    if (!coverage.open) continue;
    flagged = true;
    add(
      'GW-SEC-NO-OPEN-INGRESS',
      address,
      `${address}: ingress from ${listed(cidrs)}: ${coverageText(coverage)}, more than the bound of ${PUBLIC_BOUND_TEXT_V6}.`,
    );
  }
  const all = [...ingress.values()].flatMap((g) => g.cidrs);
  const whole = publicCoverage(all);
  if (!flagged && whole.open)
    add(
      'GW-SEC-NO-OPEN-INGRESS',
      `stack ${stack} security groups`,
      `stack ${stack}: its security groups together allow ingress from ${listed(all.filter((c) => publicCoverage([c]).ipv4 > 0 || publicCoverage([c]).ipv6 > 0n))}: ${coverageText(whole)}, more than the bound of ${PUBLIC_BOUND_TEXT_V6}.`,
    );
  for (const type of ['aws_iam_policy', 'aws_iam_role_policy'])
    each(type, (a, r) => {
      for (const doc of policyDocs(r.policy))
        for (const st of [doc.Statement].flat() as {
          Effect?: string;
          Action?: unknown;
          Resource?: unknown;
        }[])
          if (
            st?.Effect === 'Allow' &&
            [st.Action].flat().includes('*') &&
            [st.Resource].flat().includes('*')
          )
            add('GW-SEC-IAM-WILDCARD', a, `${a}: allows "*" on "*".`);
    });
  each('aws_eks_node_group', (a, r) => {
    const u = (r.update_config ?? {}) as { max_unavailable?: number; max_unavailable_percentage?: number };
    if (!((u.max_unavailable ?? Infinity) <= 1 || (u.max_unavailable_percentage ?? Infinity) <= 10))
      add('GW-SEC-NODEGROUP-UPDATE', a, `${a}: update_config lets more than one node (or 10 %) go at once.`);
  });
  const s3 = tf.terraform?.backend?.s3;
  if (s3 && (s3.encrypt !== true || s3.use_lockfile !== true))
    add(
      'GW-SEC-STATE',
      'terraform.backend.s3',
      `stack ${stack}: the S3 state backend is ${s3.encrypt !== true ? 'not encrypted' : 'not locked (use_lockfile)'}.`,
    );
  return out;
}

/** Check every `terraform/stacks/<stack>/cdk.tf.json` of a synthesized file map. */
export function checkTerraformFiles(files: ReadonlyMap<string, string>): SecurityFinding[] {
  return [...files.entries()]
    .filter(([p]) => /^terraform\/stacks\/[^/]+\/cdk\.tf\.json$/.test(p))
    .flatMap(([p, text]) => checkTerraformStack(p.split('/')[2], JSON.parse(text) as Tf));
}
