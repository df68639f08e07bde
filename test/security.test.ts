/** The security pack on synthesized Terraform and Kubernetes output, and insecure overrides. */
import {
  checkTerraformFiles,
  checkTerraformStack,
  SECURITY_RULES,
} from '../pipeline/security/terraform-pack';
import { synthesizeTerraform } from '../constructs/synth';
import { allManifests, unwaivedFindings } from '../pipeline/kubernetes';
import { validateFile } from '../pipeline/run';
import { check, errorIds, exampleFiles, ROOT, runCli, tempDir } from './helpers';
import fc from 'fast-check';
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
      /forced past {2}GW-SEC-EKS-ENDPOINT {2}aws_eks_cluster\.cluster_\w+: the API endpoint is public to 0\.0\.0\.0\/0: 3,702,258,432 public IPv4 addresses/,
    );
  });
});

/**
 * CIDRs are judged by the public address space their union covers, not by their notation: any cover of the
 * internet is the finding 0.0.0.0/0 is, in the plan rules and in the Terraform pack alike.
 */
describe('CIDR rules by address space', () => {
  const text = readFileSync(join(ROOT, 'examples/p5-efa.yaml'), 'utf8');
  const withEndpoint = (cidrs: string[]) =>
    text.replace(
      "version: '1.33'",
      `version: '1.33'\n  endpoint: public\n  publicAccessCidrs: [${cidrs.join(', ')}]`,
    );
  const withGroups = (groups: string[][]) =>
    text.replace(
      'availabilityZone: us-east-1a',
      `availabilityZone: us-east-1a\n    securityGroups:\n${groups
        .map(
          (g, i) =>
            `      - { name: g${i}, selfIngressAllTraffic: true, selfEgressAllTraffic: true, ingressCidrs: [${g.join(', ')}] }`,
        )
        .join('\n')}`,
    );
  const base = JSON.parse(synthOf('examples/p5-efa.yaml').get('terraform/stacks/virginia/cdk.tf.json')!);
  type Tf = typeof base;
  const packIds = (fn: (tf: Tf) => void) => {
    const tf = structuredClone(base);
    fn(tf);
    return [...new Set(checkTerraformStack('virginia', tf).map((f) => f.rule))].sort();
  };
  const eks = (tf: Tf) => Object.values(tf.resource.aws_eks_cluster)[0] as { vpc_config: object };
  const publicTo = (cidrs: string[]) => (tf: Tf) =>
    Object.assign(eks(tf).vpc_config, { endpoint_public_access: true, public_access_cidrs: cidrs });
  const ingressFrom = (groups: string[][]) => (tf: Tf) =>
    groups.forEach((g, i) =>
      g.forEach(
        (c, j) =>
          (tf.resource.aws_vpc_security_group_ingress_rule[`open-${i}-${j}`] = {
            security_group_id: `\${aws_security_group.g${i}.id}`,
            cidr_ipv4: c,
            ip_protocol: '-1',
          }),
      ),
    );

  // The third entry: what else the plan rules find (host bits are a GW-NET-CIDR-FORM error; the pack has no such rule).
  const covers: [string, string[], string[]?][] = [
    ['two /1s', ['0.0.0.0/1', '128.0.0.0/1']],
    ['four /2s', ['0.0.0.0/2', '64.0.0.0/2', '128.0.0.0/2', '192.0.0.0/2']],
    ['overlapping halves', ['0.0.0.0/1', '64.0.0.0/2', '128.0.0.0/1', '128.0.0.0/3']],
    ['host bits set', ['1.2.3.4/1', '200.1.1.1/1'], ['GW-NET-CIDR-FORM']],
    ['two public /8s (more than the bound)', ['1.0.0.0/8', '2.0.0.0/8']],
  ];
  const fine: [string, string[]][] = [
    ['private and reserved ranges', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10']],
    ['office and VPN ranges', ['203.0.113.0/24', '198.51.100.7/32', '8.8.8.0/24']],
    ['exactly one public /8', ['1.0.0.0/8']],
  ];

  test.each(covers)(
    'public endpoint to %s is GW-SEC-EKS-PUBLIC and GW-SEC-EKS-ENDPOINT',
    (_n, cidrs, also = []) => {
      expect(errorIds(check(withEndpoint(cidrs)))).toEqual([...also, 'GW-SEC-EKS-PUBLIC']);
      expect(packIds(publicTo(cidrs))).toEqual(['GW-SEC-EKS-ENDPOINT']);
    },
  );
  test.each(fine)('public endpoint to %s passes both', (_n, cidrs) => {
    expect(errorIds(check(withEndpoint(cidrs)))).toEqual([]);
    expect(packIds(publicTo(cidrs))).toEqual([]);
  });
  test.each(covers)(
    'ingress from %s, in one group or split over two, is a finding',
    (_n, cidrs, also = []) => {
      const half = Math.ceil(cidrs.length / 2);
      for (const groups of [[cidrs], [cidrs.slice(0, half), cidrs.slice(half)]]) {
        expect(errorIds(check(withGroups(groups)))).toEqual([...also, 'GW-SEC-OPEN-INGRESS']);
        expect(packIds(ingressFrom(groups))).toEqual(['GW-SEC-NO-OPEN-INGRESS']);
      }
    },
  );
  test.each(fine)('ingress from %s passes both', (_n, cidrs) => {
    expect(errorIds(check(withGroups([cidrs])))).toEqual([]);
    expect(packIds(ingressFrom([cidrs]))).toEqual([]);
  });
  test('IPv6: ::/0 or two halves of 2000::/3 are open; one /48 is not', () => {
    const v6 = (c: string[]) => (tf: Tf) =>
      c.forEach(
        (x, i) =>
          (tf.resource.aws_vpc_security_group_ingress_rule[`v6-${i}`] = {
            security_group_id: 'x',
            cidr_ipv6: x,
            ip_protocol: '-1',
          }),
      );
    expect(packIds(v6(['::/0']))).toEqual(['GW-SEC-NO-OPEN-INGRESS']);
    expect(packIds(v6(['2000::/4', '3000::/4']))).toEqual(['GW-SEC-NO-OPEN-INGRESS']);
    expect(packIds(v6(['2001:db8:1::/48', '2600:1f18:1::/48']))).toEqual([]);
  });

  /** A random disjoint cover of 0.0.0.0/0: split a random block in two, up to `splits` times. */
  const cover = fc
    .record({ picks: fc.array(fc.nat(), { minLength: 1, maxLength: 39 }), order: fc.nat() })
    .map(({ picks, order }) => {
      let blocks: [number, number][] = [[0, 0]]; // [first address, prefix]
      for (const pick of picks) {
        const splittable = blocks.filter(([, p]) => p < 32);
        const [first, p] = splittable[pick % splittable.length]!;
        blocks = blocks.filter((b) => b[0] !== first || b[1] !== p);
        blocks.push([first, p + 1], [first + 2 ** (31 - p), p + 1]);
      }
      const ip = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
      const cidrs = blocks.map(([first, p]) => `${ip(first)}/${p}`);
      // Any order: rotate by a random amount.
      const k = order % cidrs.length;
      return [...cidrs.slice(k), ...cidrs.slice(0, k)];
    });

  test('property: every disjoint cover of 0.0.0.0/0 is flagged, by the plan rules and the pack', () => {
    fc.assert(
      fc.property(cover, fc.array(fc.nat({ max: 4 }), { minLength: 40, maxLength: 40 }), (cidrs, groupOf) => {
        expect(cidrs.length).toBeLessThanOrEqual(40);
        expect(errorIds(check(withEndpoint(cidrs)))).toEqual(['GW-SEC-EKS-PUBLIC']);
        expect(packIds(publicTo(cidrs))).toEqual(['GW-SEC-EKS-ENDPOINT']);
        // The pieces spread over up to five groups (each group attached to every pool interface).
        const groups = [0, 1, 2, 3, 4]
          .map((g) => cidrs.filter((_c, i) => groupOf[i] === g))
          .filter((g) => g.length);
        expect(errorIds(check(withGroups(groups)))).toEqual(['GW-SEC-OPEN-INGRESS']);
        expect(packIds(ingressFrom(groups))).toEqual(['GW-SEC-NO-OPEN-INGRESS']);
      }),
      { seed: 20261206, numRuns: 100 },
    );
  });

  test('gigawatt validate and synth --force flag two /1s as they flag 0.0.0.0/0', () => {
    const file = join(tempDir(), 'halves.yaml');
    writeFileSync(file, withEndpoint(['0.0.0.0/1', '128.0.0.0/1']));
    const v = runCli(['validate', file]);
    expect(v.status).toBe(1);
    expect(v.stdout).toMatch(/error {2}GW-SEC-EKS-PUBLIC {2}kubernetes\.publicAccessCidrs opens the EKS API/);
    const forced = runCli(['synth', file, '--force', '--out', join(tempDir(), 'out')]);
    expect(forced.status).toBe(0);
    expect(forced.stderr).toMatch(/forced past {2}GW-SEC-EKS-ENDPOINT .*0\.0\.0\.0\/1, 128\.0\.0\.0\/1/);
  });

  test('gigawatt validate and synth --force flag ingress halves split over two groups', () => {
    const file = join(tempDir(), 'split.yaml');
    // Each group opens exactly one public /8 (within the bound); together they open two.
    writeFileSync(file, withGroups([['1.0.0.0/8'], ['2.0.0.0/8']]));
    const v = runCli(['validate', file]);
    expect(v.status).toBe(1);
    expect(v.stdout).toMatch(/GW-SEC-OPEN-INGRESS {2}Security groups 'g0', 'g1' of fabric 'virginia-efa'/);
    const forced = runCli(['synth', file, '--force', '--out', join(tempDir(), 'out')]);
    expect(forced.status).toBe(0);
    expect(forced.stderr).toMatch(
      /forced past {2}GW-SEC-NO-OPEN-INGRESS {2}stack virginia: its security groups together/,
    );
  });
});
