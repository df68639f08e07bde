/**
 * What an EKS cluster needs to come up, read from the synthesized Terraform and manifests: an untainted
 * system node group with the pod-running add-ons after it, egress to every registry the manifests pull
 * from, a configured VPC CNI, admin access, hybrid routes, ODCR placement and the outputs a kubeconfig
 * needs. (test/deploy-moto.test.ts applies the stacks to an AWS emulator.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { synthesizeTerraform } from '../constructs/synth';
import { synthesizeKubernetes } from '../pipeline/kubernetes';
import { cidrRange } from '../pipeline/model/network';
import { check, errorIds, exampleFiles, ROOT } from './helpers';

type Res = Record<string, Record<string, unknown>>;
type TfJson = { resource: Record<string, Res>; output: Record<string, { value: unknown }> };

const p5 = readFileSync(join(ROOT, 'examples', 'p5-efa.yaml'), 'utf8');
const stacksOf = (yaml: string): Map<string, TfJson> => {
  const r = check(yaml);
  expect(errorIds(r)).toEqual([]);
  const out = new Map<string, TfJson>();
  for (const [path, text] of synthesizeTerraform(r.plan!))
    if (path.endsWith('cdk.tf.json')) out.set(path.split('/')[2], JSON.parse(text) as TfJson);
  return out;
};
const byId = (res: Res | undefined, pattern: RegExp) =>
  Object.entries(res ?? {}).filter(([id]) => pattern.test(id));
const one = (res: Res | undefined, pattern: RegExp) => {
  const found = byId(res, pattern);
  expect(found.map(([id]) => id)).toHaveLength(1);
  return found[0][1];
};
const ref = (type: string, res: Res, pattern: RegExp) => `${type}.${byId(res, pattern)[0][0]}`;

describe('p5-efa: the cluster comes up', () => {
  const tf = stacksOf(p5).get('virginia')!;
  const r = tf.resource;

  test('an untainted system node group in the two system subnets, on the cluster version', () => {
    const system = one(r.aws_eks_node_group, /^cluster_system-nodes/);
    expect(system.taint).toBeUndefined();
    expect(system.ami_type).toBe('AL2023_x86_64_STANDARD');
    expect(system.version).toBe('1.33');
    expect(system.instance_types).toEqual(['m7i.xlarge', 'm7a.xlarge']);
    expect(system.scaling_config).toEqual({ min_size: 2, desired_size: 2, max_size: 3 });
    expect(system.subnet_ids).toEqual(
      byId(r.aws_subnet, /_system-[01]_/).map(([id]) => `\${aws_subnet.${id}.id}`),
    );
    expect(system.labels).toEqual({ 'gigawatt.dev/role': 'system' });
  });

  test('vpc-cni and the pod identity agent go before compute; the pod-running add-ons after the system nodes', () => {
    const system = `aws_eks_node_group.${byId(r.aws_eks_node_group, /^cluster_system-nodes/)[0][0]}`;
    // The node monitoring agent reports the accelerator health that node repair acts on.
    for (const name of ['coredns', 'kube-proxy', 'eks-node-monitoring-agent'])
      expect(one(r.aws_eks_addon, new RegExp(`addon-${name}_`)).depends_on).toEqual([system]);
    const before = ['vpc-cni', 'eks-pod-identity-agent'].map((n) =>
      ref('aws_eks_addon', r.aws_eks_addon, new RegExp(`addon-${n}_`)),
    );
    for (const [id, group] of Object.entries(r.aws_eks_node_group)) {
      expect({ id, ok: before.every((b) => (group.depends_on as string[]).includes(b)) }).toEqual({
        id,
        ok: true,
      });
      expect(
        (group.depends_on as string[]).some((d) => d.startsWith('aws_iam_role_policy_attachment.')),
      ).toBe(true);
    }
    expect(one(r.aws_eks_addon, /addon-vpc-cni_/).depends_on).toBeUndefined();
  });

  test('accelerator node groups carry the cluster version and node repair', () => {
    const group = one(r.aws_eks_node_group, /^pool-h100_/);
    expect(group.version).toBe('1.33');
    expect(group.node_repair_config).toEqual({ enabled: true });
  });

  test('add-on versions follow kubernetes.version: catalog pins, else the EKS default read at plan time', () => {
    const versions = (t: TfJson) =>
      Object.fromEntries(Object.values(t.resource.aws_eks_addon).map((a) => [a.addon_name, a.addon_version]));
    // EKS user guide version tables (catalog eksAddonVersions).
    expect(versions(tf)).toMatchObject({
      coredns: 'v1.12.4-eksbuild.1',
      'kube-proxy': 'v1.33.5-eksbuild.2',
      'vpc-cni': 'v1.20.1-eksbuild.3',
    });
    const older = stacksOf(p5.replace("version: '1.33'", "version: '1.30'")).get('virginia')!;
    expect(versions(older)).toMatchObject({
      coredns: 'v1.11.4-eksbuild.24',
      'kube-proxy': 'v1.30.14-eksbuild.8',
    });
    // No table lists the pod identity agent: the version EKS makes default for the cluster's version.
    const data = (older as unknown as { data: Record<string, Res> }).data.aws_eks_addon_version;
    const [[id, agent]] = byId(data, /pod-identity-agent/);
    expect(agent).toMatchObject({ addon_name: 'eks-pod-identity-agent', kubernetes_version: '1.30' });
    expect(versions(older)['eks-pod-identity-agent']).toBe(`\${data.aws_eks_addon_version.${id}.version}`);
    for (const a of Object.values(r.aws_eks_addon))
      expect([a.resolve_conflicts_on_create, a.resolve_conflicts_on_update]).toEqual([
        'OVERWRITE',
        'OVERWRITE',
      ]);
  });

  test('the VPC CNI holds no spare ENI: WARM_IP_TARGET=1, prefix delegation as the fabric says', () => {
    const env = (t: TfJson) =>
      JSON.parse(one(t.resource.aws_eks_addon, /addon-vpc-cni_/).configuration_values as string).env;
    expect(env(tf)).toEqual({ ENABLE_PREFIX_DELEGATION: 'false', WARM_IP_TARGET: '1' });
    const pd = stacksOf(
      p5.replace(
        '    availabilityZone: us-east-1a\n',
        '    availabilityZone: us-east-1a\n    prefixDelegation: true\n',
      ),
    );
    expect(env(pd.get('virginia')!).ENABLE_PREFIX_DELEGATION).toBe('true');
  });

  test('egress: nat (default): private subnets route 0.0.0.0/0 to a NAT gateway in a public subnet', () => {
    const nat = one(r.aws_nat_gateway, /_nat_/);
    const publicSubnet = ref('aws_subnet', r.aws_subnet, /_public_/);
    expect(nat.subnet_id).toBe(`\${${publicSubnet}.id}`);
    const natRoute = one(r.aws_route, /_nat-default_/);
    expect(natRoute.destination_cidr_block).toBe('0.0.0.0/0');
    const privateTable = `\${${ref('aws_route_table', r.aws_route_table, /_routes_/)}.id}`;
    expect(natRoute.route_table_id).toBe(privateTable);
    const associated = Object.values(r.aws_route_table_association)
      .filter((a) => a.route_table_id === privateTable)
      .map((a) => a.subnet_id);
    for (const id of byId(r.aws_subnet, /_(nodes|system-[01]|control-plane-[01])_/).map(([id]) => id))
      expect(associated).toContain(`\${aws_subnet.${id}.id}`);
    expect(one(r.aws_route, /_public-default_/).gateway_id).toMatch(/^\$\{aws_internet_gateway\./);
    expect(one(r.aws_vpc_security_group_egress_rule, /_https-internet_/)).toMatchObject({
      cidr_ipv4: '0.0.0.0/0',
      from_port: 443,
      to_port: 443,
    });
  });

  test('outputs for a kubeconfig: endpoint, CA data, security groups, node role, region', () => {
    expect(Object.keys(tf.output).sort()).toEqual(
      expect.arrayContaining([
        'cluster_certificate_authority_data',
        'cluster_endpoint',
        'cluster_name',
        'cluster_security_group_id',
        'kubeconfig_command',
        'node_role_arn',
        'node_security_group_id',
        'cluster_region',
      ]),
    );
    expect(tf.output.cluster_region.value).toBe('us-east-1');
    expect(tf.output.kubeconfig_command.value).toMatch(
      /^aws eks update-kubeconfig --region us-east-1 --name \$\{aws_eks_cluster\./,
    );
  });
});

describe('every AWS example: subnets fit the VPC without overlap, and every image is reachable', () => {
  test.each(exampleFiles())('%s', (file) => {
    const yaml = readFileSync(join(ROOT, file), 'utf8');
    const result = check(yaml);
    if (!result.plan || errorIds(result).length) return;
    const stacks = stacksOf(yaml);
    for (const tf of stacks.values()) {
      for (const vpc of Object.values(tf.resource?.aws_vpc ?? {})) {
        const [v1, v2] = cidrRange(vpc.cidr_block as string);
        const subnets = Object.values(tf.resource.aws_subnet ?? {})
          .map((s) => s.cidr_block as string)
          .filter((c) => {
            const [s1, s2] = cidrRange(c);
            return v1 <= s1 && s2 <= v2;
          })
          .map(cidrRange)
          .sort((a, b) => a[0] - b[0]);
        for (let i = 1; i < subnets.length; i++) expect(subnets[i][0]).toBeGreaterThan(subnets[i - 1][1]);
      }
    }
    // Every image in the manifests of a cluster is pulled through a NAT gateway of its stack, or from ECR
    // in the stack's region through the ecr.dkr endpoint.
    const manifests = synthesizeKubernetes(result.plan);
    for (const [path, text] of [...manifests].filter(([p]) => p.endsWith('.yaml'))) {
      const cluster = path.split('/')[1];
      const tf = stacks.get(cluster);
      const images = parseAllDocuments(text)
        .flatMap((d) => JSON.stringify(d.toJS()).match(/"image":"[^"]+"/g) ?? [])
        .map((m) => m.slice(9, -1));
      if (!tf?.resource || !images.length) continue;
      const region = (tf as unknown as { provider: { aws: { region: string }[] } }).provider.aws[0].region;
      const nat = Object.keys(tf.resource.aws_nat_gateway ?? {}).length > 0;
      for (const image of images)
        expect({
          image,
          ok: nat || image.split('/')[0].endsWith(`.dkr.ecr.${region}.amazonaws.com`),
        }).toEqual({ image, ok: true });
      for (const image of images.filter((i) => i.includes('aws-efa-k8s-device-plugin')))
        expect(image.split('/')[0]).toMatch(
          new RegExp(`^\\d{12}\\.dkr\\.ecr\\.${region}\\.amazonaws\\.com$`),
        );
    }
  });
});

describe('GW-NET-IMAGE-PULL', () => {
  const none = p5.replace(
    '    availabilityZone: us-east-1a\n',
    '    availabilityZone: us-east-1a\n    egress: none\n',
  );
  test('egress: none with NVIDIA pools fails: nvcr.io is out of reach, with the line of egress', () => {
    const r = check(none);
    const d = r.diagnostics.find((x) => x.rule === 'GW-NET-IMAGE-PULL')!;
    expect(d.severity).toBe('error');
    expect(d.message).toContain('nvcr.io/nvidia/k8s-device-plugin');
    expect(d.message).not.toContain('aws-efa-k8s-device-plugin');
    expect(d.line).toBe(none.split('\n').indexOf('    egress: none') + 1);
  });
  test('egress: none synthesizes no NAT gateway; the default and the examples pass the rule', () => {
    const r = check(none);
    const tf = JSON.parse(
      synthesizeTerraform(r.plan!, { skipValidation: true }).get('terraform/stacks/virginia/cdk.tf.json')!,
    ) as TfJson;
    expect(tf.resource.aws_nat_gateway).toBeUndefined();
    expect(tf.resource.aws_route).toBeUndefined();
    for (const file of exampleFiles())
      expect({
        file,
        ids: check(readFileSync(join(ROOT, file), 'utf8')).diagnostics.map((x) => x.rule),
      }).not.toEqual(expect.objectContaining({ ids: expect.arrayContaining(['GW-NET-IMAGE-PULL']) }));
  });
});

describe('admins, hybrid routes and ODCR placement', () => {
  test('kubernetes.admins become access entries with the cluster admin policy', () => {
    const arn = 'arn:aws:iam::123456789012:role/platform-admins';
    const tf = stacksOf(p5.replace("  version: '1.33'\n", `  version: '1.33'\n  admins: ['${arn}']\n`)).get(
      'virginia',
    )!;
    expect(one(tf.resource.aws_eks_access_entry, /admin-/)).toMatchObject({
      principal_arn: arn,
      type: 'STANDARD',
    });
    expect(one(tf.resource.aws_eks_access_policy_association, /admin-/)).toMatchObject({
      policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      access_scope: { type: 'cluster' },
    });
  });

  test('an ODCR pool launches into its reservation’s placement group and gets none of its own', () => {
    const odcr = p5
      .replace(
        '    capacity: { type: on-demand }',
        '    capacity: { type: odcr, reservationId: cr-0123456789abcdef0 }',
      )
      .replace(
        'pools:\n',
        'reservations:\n  - { id: cr-0123456789abcdef0, site: virginia, type: odcr, instanceType: p5.48xlarge, instances: 64, availabilityZone: us-east-1a, placementGroup: p5-odcr-pg }\npools:\n',
      );
    const tf = stacksOf(odcr).get('virginia')!;
    expect(tf.resource.aws_placement_group).toBeUndefined();
    expect(one(tf.resource.aws_launch_template, /^pool-h100_/).placement).toEqual({
      group_name: 'p5-odcr-pg',
    });
  });
});
