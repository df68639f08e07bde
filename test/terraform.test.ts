/** Terraform synthesis: fine-grained checks on the synthesized JSON, validations, addresses, determinism. */
import { synthesizeTerraform } from '../constructs/synth';
import { buildStacks } from '../constructs/stacks';
import { Testing } from '../constructs/cdk';
import { check, errorIds } from './helpers';

const NOW = new Date('2026-11-22T00:00:00Z');
type TfJson = {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, unknown>;
  terraform: Record<string, unknown>;
};

const plan = (pools: string, extra = '') => `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: tf }
sites:
  - { name: east, provider: aws, region: us-east-2, quotas: { P: 1000000, Trn: 1000000 } }
fabrics:
  - { name: efa, site: east, vpcCidr: 10.1.0.0/16, availabilityZone: us-east-2a, maxPodsPerNode: 16 }
pools:
${pools}
${extra}`;

const stack = (pools: string, extra = ''): TfJson => {
  const r = check(plan(pools, extra), NOW);
  expect(errorIds(r)).toEqual([]);
  const files = synthesizeTerraform(r.plan!);
  return JSON.parse(files.get('terraform/stacks/east/cdk.tf.json')!);
};
/** Resources of a type, without the cluster's system node group and its template (test/deploy.test.ts). */
const byType = (tf: TfJson, type: string) =>
  Object.entries(tf.resource[type] ?? {})
    .filter(([id]) => !id.startsWith('cluster_system-'))
    .map(([, r]) => r);

describe.each([
  ['p5.48xlarge', 32],
  ['p5en.48xlarge', 16],
  ['trn2.48xlarge', 16],
  ['p6-b200.48xlarge', 8],
])('EFA interface layout of %s', (type, efa) => {
  test(`primary ENA on card 0 device 0, then ${efa} efa-only interfaces on distinct cards`, () => {
    // trn2 is sold through Capacity Blocks (us-east-2).
    const capacity =
      type === 'trn2.48xlarge'
        ? ', capacity: { type: capacity-block, reservationId: cr-0123456789abcdef0, instances: 2 }'
        : '';
    const tf = stack(
      `  - { name: pool, site: east, fabric: efa, instanceType: ${type}, instances: 2${capacity} }`,
    );
    const lt = byType(tf, 'aws_launch_template')[0] as {
      network_interfaces: {
        network_card_index: number;
        device_index: number;
        interface_type?: string;
        associate_public_ip_address: string;
      }[];
    };
    const nics = lt.network_interfaces;
    expect(nics).toHaveLength(efa + 1);
    expect(nics[0]).toMatchObject({ network_card_index: 0, device_index: 0 });
    expect(nics[0].interface_type).toBeUndefined();
    expect(nics.slice(1).every((n) => n.interface_type === 'efa-only')).toBe(true);
    expect(nics[1]).toMatchObject({ network_card_index: 0, device_index: 1 });
    expect(new Set(nics.slice(1).map((n) => n.network_card_index)).size).toBe(efa);
    expect(nics.every((n) => n.associate_public_ip_address === 'false')).toBe(true);
  });
});

describe('security and capacity settings', () => {
  const tf = stack(
    [
      '  - { name: od, site: east, fabric: efa, instanceType: p5.48xlarge, instances: 4 }',
      '  - { name: cb, site: east, fabric: efa, instanceType: p5.48xlarge, instances: 8, capacity: { type: capacity-block, reservationId: cr-0123456789abcdef0, instances: 8, availabilityZone: us-east-2a } }',
    ].join('\n'),
  );
  const lts = tf.resource.aws_launch_template as Record<string, Record<string, unknown>>;
  const lt = (pool: string) => Object.entries(lts).find(([k]) => k.includes(`pool-${pool}`))![1];

  test('EFA security group allows all traffic to and from itself', () => {
    const ingress = byType(tf, 'aws_vpc_security_group_ingress_rule') as Record<string, string>[];
    const egress = byType(tf, 'aws_vpc_security_group_egress_rule') as Record<string, string>[];
    const self = (r: Record<string, string>) =>
      r.ip_protocol === '-1' && r.referenced_security_group_id === r.security_group_id;
    expect(ingress.filter(self)).toHaveLength(1);
    expect(egress.filter(self)).toHaveLength(1);
    expect(ingress.some((r) => r.cidr_ipv4 === '0.0.0.0/0')).toBe(false);
    // The only rule to the internet: HTTPS to image registries through the NAT gateway.
    expect(egress.filter((r) => r.cidr_ipv4 === '0.0.0.0/0')).toEqual([
      expect.objectContaining({ ip_protocol: 'tcp', from_port: 443, to_port: 443 }),
    ]);
  });
  test('IMDSv2 only, hop limit 1, encrypted gp3 root volume', () => {
    for (const t of Object.values(lts)) {
      expect(t.metadata_options).toEqual({
        http_endpoint: 'enabled',
        http_put_response_hop_limit: 1,
        http_tokens: 'required',
      });
      expect((t.block_device_mappings as { ebs: Record<string, unknown> }[])[0].ebs).toMatchObject({
        encrypted: 'true',
        volume_type: 'gp3',
      });
    }
  });
  test('Capacity Block pool: capacity-block market, reservation target, CAPACITY_BLOCK node group, no placement group', () => {
    expect(lt('cb').instance_market_options).toEqual({ market_type: 'capacity-block' });
    expect(lt('cb').capacity_reservation_specification).toEqual({
      capacity_reservation_target: { capacity_reservation_id: 'cr-0123456789abcdef0' },
    });
    expect(lt('cb').placement).toBeUndefined();
    expect(lt('od').placement).toBeDefined();
    expect(Object.keys(tf.resource.aws_placement_group)).toHaveLength(1);
    const groups = byType(tf, 'aws_eks_node_group') as Record<string, unknown>[];
    expect(groups.find((g) => g.node_group_name === 'cb-1')).toMatchObject({
      capacity_type: 'CAPACITY_BLOCK',
      scaling_config: { desired_size: 8, max_size: 8, min_size: 8 },
    });
    expect(groups.find((g) => g.node_group_name === 'od-1')).toMatchObject({
      capacity_type: 'ON_DEMAND',
      ami_type: 'AL2023_x86_64_NVIDIA',
      update_config: { max_unavailable: 1 },
    });
  });
  test('EKS cluster: private endpoint, secrets encryption, all control-plane logs', () => {
    const cluster = byType(tf, 'aws_eks_cluster')[0] as Record<string, Record<string, unknown>>;
    expect(cluster.vpc_config).toMatchObject({
      endpoint_private_access: true,
      endpoint_public_access: false,
    });
    expect(cluster.encryption_config).toMatchObject({ resources: ['secrets'] });
    expect(cluster.enabled_cluster_log_types).toEqual([
      'api',
      'audit',
      'authenticator',
      'controllerManager',
      'scheduler',
    ]);
  });
  test('outputs are named <noun>_<attribute> with descriptions', () => {
    for (const [name, out] of Object.entries(tf.output ?? {})) {
      expect(name).toMatch(/^[a-z]+(_[a-z0-9]+)+$/);
      expect((out as { description?: string }).description).toBeTruthy();
    }
  });
});

test('a pool larger than one managed node group is split, keeping whole UltraServers', () => {
  const tf = stack(
    '  - { name: big, site: east, fabric: efa, instanceType: p5.48xlarge, instances: 1000 }',
    '',
  ).valueOf() as TfJson;
  const sizes = (
    byType(tf, 'aws_eks_node_group') as {
      node_group_name: string;
      scaling_config: { desired_size: number };
    }[]
  ).map((g) => [g.node_group_name, g.scaling_config.desired_size]);
  expect(sizes).toEqual([
    ['big-1', 450],
    ['big-2', 450],
    ['big-3', 100],
  ]);
});

test('a plan that breaks a rule fails cdktf synthesis with the rule id', () => {
  const r = check(
    plan('  - { name: q, site: east, fabric: efa, instanceType: p5.48xlarge, instances: 4 }').replace(
      'P: 1000000',
      'P: 100',
    ),
    NOW,
  );
  expect(errorIds(r)).toEqual(['GW-CAP-QUOTA']);
  const app = Testing.app();
  const [s] = buildStacks(app, r.plan!);
  expect(() => Testing.synth(s, true)).toThrow(
    /\[GW-CAP-QUOTA\] Site 'east': on-demand P instances need 768 vCPUs/,
  );
  expect(() => synthesizeTerraform(r.plan!)).toThrow(/GW-CAP-QUOTA/);
  expect(() => synthesizeTerraform(r.plan!, { skipValidation: true })).not.toThrow();
});

describe('IAM ordering (create and destroy)', () => {
  const tf = stack('  - { name: od, site: east, fabric: efa, instanceType: p5.48xlarge, instances: 2 }');
  const attachments = Object.entries(tf.resource.aws_iam_role_policy_attachment).map(
    ([name, r]) => [`aws_iam_role_policy_attachment.${name}`, r.policy_arn as string] as const,
  );
  const addressOf = (policy: string) => attachments.find(([, arn]) => arn.endsWith(`/${policy}`))![0];
  test('the EKS cluster depends on its role and the AmazonEKSClusterPolicy attachment', () => {
    const cluster = byType(tf, 'aws_eks_cluster')[0] as { depends_on: string[] };
    expect(cluster.depends_on).toContain(addressOf('AmazonEKSClusterPolicy'));
  });
  test('every node group depends on the three node-role policy attachments', () => {
    for (const group of byType(tf, 'aws_eks_node_group') as { depends_on?: string[] }[])
      for (const policy of [
        'AmazonEKSWorkerNodePolicy',
        'AmazonEC2ContainerRegistryPullOnly',
        'AmazonEKS_CNI_Policy',
      ])
        expect(group.depends_on).toContain(addressOf(policy));
  });
  test('node groups wait for the before-compute add-ons (vpc-cni, eks-pod-identity-agent) only', () => {
    const addons = Object.entries(tf.resource.aws_eks_addon).map(
      ([name, r]) => [`aws_eks_addon.${name}`, r.addon_name as string] as const,
    );
    for (const group of byType(tf, 'aws_eks_node_group') as { depends_on: string[] }[])
      expect(
        addons
          .filter(([address]) => group.depends_on.includes(address))
          .map(([, name]) => name)
          .sort(),
      ).toEqual(['eks-pod-identity-agent', 'vpc-cni']);
  });
});

test('control-plane zones exclude the AZ IDs EKS does not support', () => {
  const tf = stack(
    '  - { name: od, site: east, fabric: efa, instanceType: p5.48xlarge, instances: 2 }',
  ) as TfJson & {
    data: Record<string, Record<string, Record<string, unknown>>>;
  };
  const zones = Object.values(tf.data.aws_availability_zones)[0];
  expect(zones.exclude_zone_ids).toEqual(['use1-az3', 'usw1-az2', 'cac1-az3']);
});

describe('fabrics[].securityGroups', () => {
  const pools = '  - { name: od, site: east, fabric: efa, instanceType: p5.48xlarge, instances: 2 }';
  const without = stack(pools);
  const r = check(
    plan(pools).replace(
      'maxPodsPerNode: 16 }',
      'maxPodsPerNode: 16, securityGroups: [{ name: storage, selfIngressAllTraffic: true, selfEgressAllTraffic: true, ingressCidrs: [10.9.0.0/16] }] }',
    ),
    NOW,
  );
  const withSg = JSON.parse(synthesizeTerraform(r.plan!).get('terraform/stacks/east/cdk.tf.json')!) as TfJson;
  test('the extra group is created with its self and CIDR rules', () => {
    expect(errorIds(r)).toEqual([]);
    const groups = byType(withSg, 'aws_security_group') as { name: string }[];
    expect(groups.map((g) => g.name)).toContain('efa-storage');
    expect(byType(without, 'aws_security_group').map((g) => g.name)).not.toContain('efa-storage');
    const ingress = byType(withSg, 'aws_vpc_security_group_ingress_rule') as Record<string, string>[];
    const sgKey = Object.keys(withSg.resource.aws_security_group).find((k) => k.includes('sg-storage'))!;
    const ref = `\${aws_security_group.${sgKey}.id}`;
    expect(
      ingress
        .filter((r) => r.security_group_id === ref)
        .map((r) => r.cidr_ipv4 ?? 'self')
        .sort(),
    ).toEqual(['10.9.0.0/16', 'self']);
  });
  test('it is attached, after the EFA group, to every interface of the pool launch template', () => {
    const sgKey = Object.keys(withSg.resource.aws_security_group).find((k) => k.includes('sg-storage'))!;
    const lt = byType(withSg, 'aws_launch_template')[0] as {
      network_interfaces: { security_groups: string[] }[];
    };
    for (const nic of lt.network_interfaces) {
      expect(nic.security_groups).toHaveLength(2);
      expect(nic.security_groups[1]).toBe(`\${aws_security_group.${sgKey}.id}`);
    }
    const plain = byType(without, 'aws_launch_template')[0] as {
      network_interfaces: { security_groups: string[] }[];
    };
    expect(plain.network_interfaces[0].security_groups).toHaveLength(1);
  });
});
