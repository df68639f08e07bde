/** The security pack on synthesized Terraform and Kubernetes output, and insecure overrides. */
import { checkTerraformFiles, checkTerraformStack, SECURITY_RULES } from '../lib/security/terraform-pack';
import { synthesizeTerraform } from '../constructs/synth';
import { allManifests, unwaivedFindings } from '../lib/kubernetes';
import { validateFile } from '../lib/pipeline';
import { check, errorIds, exampleFiles, ROOT, runCli, tempDir } from './helpers';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const synthOf = (file: string) => synthesizeTerraform(validateFile(join(ROOT, file)).plan!);

test.each(exampleFiles())('%s passes the security pack (Terraform and Pod Security)', (file) => {
  expect(checkTerraformFiles(synthOf(file))).toEqual([]);
  expect(
    unwaivedFindings(
      allManifests(validateFile(join(ROOT, file)).plan!).flatMap((m) => [...m.components.values()].flat()),
    ),
  ).toEqual([]);
});

describe('deliberately insecure Terraform fails with the right ids', () => {
  const base = JSON.parse(synthOf('examples/p5-efa.yaml').get('terraform/stacks/virginia/cdk.tf.json')!);
  const mutate = (fn: (tf: typeof base) => void) => {
    const tf = structuredClone(base);
    fn(tf);
    return [...new Set(checkTerraformStack('virginia', tf).map((f) => f.rule))];
  };
  test.each([
    [
      'IMDSv1 allowed',
      (tf: typeof base) =>
        ((
          Object.values(tf.resource.aws_launch_template)[0] as { metadata_options: Record<string, unknown> }
        ).metadata_options.http_tokens = 'optional'),
      'GW-SEC-IMDSV2',
    ],
    [
      'hop limit 2',
      (tf: typeof base) =>
        ((
          Object.values(tf.resource.aws_launch_template)[0] as { metadata_options: Record<string, unknown> }
        ).metadata_options.http_put_response_hop_limit = 2),
      'GW-SEC-IMDSV2',
    ],
    [
      'unencrypted root volume',
      (tf: typeof base) =>
        ((
          Object.values(tf.resource.aws_launch_template)[0] as {
            block_device_mappings: { ebs: Record<string, unknown> }[];
          }
        ).block_device_mappings[0].ebs.encrypted = 'false'),
      'GW-SEC-EBS-ENCRYPTED',
    ],
    [
      'public endpoint to the world',
      (tf: typeof base) =>
        Object.assign(
          (Object.values(tf.resource.aws_eks_cluster)[0] as { vpc_config: Record<string, unknown> })
            .vpc_config,
          { endpoint_public_access: true, public_access_cidrs: ['0.0.0.0/0'] },
        ),
      'GW-SEC-EKS-ENDPOINT',
    ],
    [
      'no secrets encryption',
      (tf: typeof base) =>
        delete (Object.values(tf.resource.aws_eks_cluster)[0] as Record<string, unknown>).encryption_config,
      'GW-SEC-EKS-SECRETS',
    ],
    [
      'audit log off',
      (tf: typeof base) =>
        ((
          Object.values(tf.resource.aws_eks_cluster)[0] as Record<string, unknown>
        ).enabled_cluster_log_types = ['api']),
      'GW-SEC-EKS-LOGGING',
    ],
    [
      'ingress from the internet',
      (tf: typeof base) =>
        (tf.resource.aws_vpc_security_group_ingress_rule.open = {
          security_group_id: 'x',
          cidr_ipv4: '0.0.0.0/0',
          ip_protocol: '-1',
        }),
      'GW-SEC-NO-OPEN-INGRESS',
    ],
    [
      'admin policy',
      (tf: typeof base) =>
        (tf.resource.aws_iam_policy = {
          admin: {
            policy: JSON.stringify({
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
            }),
          },
        }),
      'GW-SEC-IAM-WILDCARD',
    ],
    [
      'unlocked S3 state',
      (tf: typeof base) =>
        (tf.terraform.backend = { s3: { bucket: 'b', key: 'k', region: 'us-east-1', encrypt: true } }),
      'GW-SEC-STATE',
    ],
    [
      'whole node group replaced at once',
      (tf: typeof base) =>
        ((Object.values(tf.resource.aws_eks_node_group)[0] as Record<string, unknown>).update_config = {
          max_unavailable_percentage: 100,
        }),
      'GW-SEC-NODEGROUP-UPDATE',
    ],
  ])('%s → %s', (_name, fn, rule) => {
    expect(mutate(fn as (tf: typeof base) => void)).toEqual([rule]);
    expect(SECURITY_RULES.map((r) => r.id)).toContain(rule);
  });
});

describe('insecure plan overrides', () => {
  const text = readFileSync(join(ROOT, 'examples/p5-efa.yaml'), 'utf8');
  test.each([
    [
      'a public endpoint without CIDRs',
      text.replace("version: '1.33'", "version: '1.33'\n  endpoint: public"),
      'GW-SEC-EKS-PUBLIC',
    ],
    [
      'a public endpoint open to the world',
      text.replace(
        "version: '1.33'",
        "version: '1.33'\n  endpoint: public\n  publicAccessCidrs: [0.0.0.0/0]",
      ),
      'GW-SEC-EKS-PUBLIC',
    ],
    [
      'a fabric security group open to the world',
      text.replace(
        'availabilityZone: us-east-1a',
        'availabilityZone: us-east-1a\n    securityGroups: [{ name: ssh, selfIngressAllTraffic: true, selfEgressAllTraffic: true, ingressCidrs: [0.0.0.0/0] }]',
      ),
      'GW-SEC-OPEN-INGRESS',
    ],
  ])('%s fails validation with %s', (_n, plan, rule) => {
    expect(errorIds(check(plan))).toEqual([rule]);
  });

  test('gigawatt synth refuses it; with --force the security pack still names every finding', () => {
    const file = join(tempDir(), 'open.yaml');
    writeFileSync(
      file,
      text.replace(
        "version: '1.33'",
        "version: '1.33'\n  endpoint: public\n  publicAccessCidrs: [0.0.0.0/0]",
      ),
    );
    const r = runCli(['synth', file, '--out', join(tempDir(), 'out')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/GW-SEC-EKS-PUBLIC/);
    const forced = runCli(['synth', file, '--force', '--out', join(tempDir(), 'out')]);
    expect(forced.status).toBe(0);
    expect(forced.stderr).toMatch(
      /forced past {2}GW-SEC-EKS-ENDPOINT {2}aws_eks_cluster\.cluster_\w+: the API endpoint is public to 0\.0\.0\.0\/0\./,
    );
  });
});
